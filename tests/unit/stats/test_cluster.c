/* Unit tests for stats/cluster.c: average linkage against scipy.cluster.hierarchy
 * (linkage method='average', leaves_list), fixture tests/fixtures/stats/cluster_cases.h
 * made by tests/fixtures/stats/make_cluster_fixture.py.  Leaf order and merge children
 * are compared only on cases without tied distances (see cluster.h: ties may be
 * resolved in another order than scipy's); heights on every case. */
#include "check.h"
#include "stats/cluster.h"
#include "../../fixtures/stats/cluster_cases.h"

int main(void)
{
    char name[160];
    cm_err_t err = { { 0 } };
    for (int c = 0; c < N_CL_CASES; c++) {
        const cl_case_t *k = &cl_cases[c];
        cm_tree_t t;
        snprintf(name, sizeof name, "cluster %s: runs", k->name);
        CHECK(cm_cluster_average(k->d, k->n, &t, &err) == 0 && t.n == k->n, name);
        int hok = 1, sok = 1, mok = 1, ook = 1;
        for (int i = 0; i + 1 < k->n; i++) {
            if (!(fabs(t.height[i] - k->height[i]) <= 1e-12 * (1 + fabs(k->height[i])))) {
                hok = 0;
                printf("# %s merge %d: height %.17g, scipy %.17g\n", k->name, i, t.height[i], k->height[i]);
            }
            sok &= t.size[i] == k->size[i];
            mok &= t.merge[i][0] == k->merge[2 * i] && t.merge[i][1] == k->merge[2 * i + 1];
            if (i > 0) hok &= t.height[i] >= t.height[i - 1];
        }
        for (int i = 0; i < k->n; i++) ook &= t.order[i] == k->order[i];
        snprintf(name, sizeof name, "cluster %s: merge heights = scipy (1e-12), non-decreasing", k->name);
        CHECK(hok, name);
        if (!k->ties) {
            snprintf(name, sizeof name, "cluster %s: merge children and sizes = scipy linkage", k->name);
            CHECK(mok && sok, name);
            snprintf(name, sizeof name, "cluster %s: leaf order = scipy leaves_list", k->name);
            CHECK(ook, name);
        } else {
            /* ties: still a permutation, and the sizes of the last merge = n */
            int seen[64] = { 0 }, perm = k->n <= 64;
            for (int i = 0; i < k->n && perm; i++) perm = t.order[i] >= 0 && t.order[i] < k->n && !seen[t.order[i]]++;
            snprintf(name, sizeof name, "cluster %s: order is a permutation, root holds all leaves", k->name);
            CHECK(perm && t.size[k->n - 2] == k->n, name);
        }
        cm_tree_free(&t);
    }

    {   /* hand-derived: points 0, 0.1, 10, 0.5, 21 on a line.  Merges: {0,1} at 0.1 (id 5);
         * 3 joins at (0.5 + 0.4) / 2 = 0.45 (id 6, children 3 then 5); 2 joins at
         * (10 + 9.9 + 9.5) / 3 = 9.8 (id 7: 2, 6); 4 at (21 + 20.9 + 20.5 + 11) / 4 = 18.35.
         * Order: 4 | 2 | 3 | 0 1 -> 4 2 3 0 1. */
        double x[5] = { 0, 0.1, 10, 0.5, 21 }, d[25];
        cm_dist_euclid_rows(x, 5, 1, d);
        CHECK_NEAR(d[0 * 5 + 2], 10, 0, 0, "euclid: |0 - 10| = 10");
        CHECK(d[2 * 5 + 0] == d[0 * 5 + 2] && d[3 * 5 + 3] == 0, "euclid: symmetric, zero diagonal");
        cm_tree_t t;
        CHECK(cm_cluster_average(d, 5, &t, &err) == 0, "line: clustered");
        CHECK_NEAR(t.height[1], 0.45, 1e-15, 0, "line: 3 joins {0,1} at the mean distance 0.45");
        CHECK_NEAR(t.height[2], 9.8, 1e-14, 0, "line: 2 joins at 9.8");
        CHECK_NEAR(t.height[3], 18.35, 1e-14, 0, "line: 4 joins at 18.35");
        CHECK(t.merge[1][0] == 3 && t.merge[1][1] == 5, "line: leaf before cluster in a merge");
        int want[5] = { 4, 2, 3, 0, 1 }, ok = 1;
        for (int i = 0; i < 5; i++) ok &= t.order[i] == want[i];
        CHECK(ok, "line: leaf order 4 2 3 0 1");
        cm_tree_free(&t);
    }
    {   /* ties: three items at equal distances merge the lowest pair (0, 1) first */
        double d[9] = { 0, 1, 1, 1, 0, 1, 1, 1, 0 };
        cm_tree_t t;
        CHECK(cm_cluster_average(d, 3, &t, &err) == 0 && t.merge[0][0] == 0 && t.merge[0][1] == 1
              && t.merge[1][0] == 2 && t.merge[1][1] == 3 && t.order[0] == 2 && t.order[1] == 0,
              "ties: the lowest pair merges first; order 2 0 1");
        cm_tree_free(&t);
    }
    {   /* n = 0 and errors */
        cm_tree_t t;
        CHECK(cm_cluster_average(NULL, 0, &t, &err) == 0 && t.n == 0, "n = 0: empty tree");
        cm_tree_free(&t);
        double bad[4] = { 0, -1, -1, 0 };
        CHECK(cm_cluster_average(bad, 2, &t, &err) == -1 && strstr(err.msg, "d[0][1]") && t.merge == NULL,
              "negative distance rejected, naming the entry");
        double nan[4] = { 0, NAN, NAN, 0 };
        CHECK(cm_cluster_average(nan, 2, &t, &err) == -1, "NaN distance rejected");
        CHECK(cm_cluster_average(NULL, -1, &t, &err) == -1, "n < 0 rejected");
        cm_tree_free(&t);
    }
    return check_status();
}
