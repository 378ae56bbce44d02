/* cisml.c — fimo.xml and cisml.xml as FIMO 5.5.8 lays them out (see cisml.h). */
#include "scan/cisml.h"
#include "core/svg.h"   /* cm_svg_esc: XML escaping */
#include "core/error.h"
#include "core/version.h"

#include <math.h>
#include <stdlib.h>
#include <string.h>

int cm_seqlist_add(cm_seqlist_t *l, const char *name)
{
    if (l->n == l->cap) {
        l->cap = l->cap ? 2 * l->cap : 16;
        l->s = cm_realloc(l->s, (size_t)l->cap * sizeof *l->s);
    }
    l->s[l->n].name = cm_strdup(name);
    l->s[l->n].length = 0;
    return l->n++;
}

void cm_seqlist_free(cm_seqlist_t *l)
{
    if (!l) return;
    for (int i = 0; i < l->n; i++) free(l->s[i].name);
    free(l->s);
    memset(l, 0, sizeof *l);
}

static void setting(FILE *fp, const char *name, const char *val)
{
    fprintf(fp, "<setting name=\"%s\">", name);
    cm_svg_esc(fp, val);
    fputs("</setting>\n", fp);
}

/* FIMO 5.5.8's DNA alphabet element, as it writes it */
static const char DNA_ALPH[] =
    "<alphabet name=\"DNA\" like=\"dna\">\n"
    "<letter id=\"A\" symbol=\"A\" complement=\"T\" name=\"Adenine\" colour=\"CC0000\"/>\n"
    "<letter id=\"C\" symbol=\"C\" complement=\"G\" name=\"Cytosine\" colour=\"0000CC\"/>\n"
    "<letter id=\"G\" symbol=\"G\" complement=\"C\" name=\"Guanine\" colour=\"FFB300\"/>\n"
    "<letter id=\"T\" symbol=\"T\" aliases=\"U\" complement=\"A\" name=\"Thymine\" colour=\"008000\"/>\n"
    "<letter id=\"N\" symbol=\"N\" aliases=\"X.\" equals=\"ACGT\" name=\"Any base\"/>\n"
    "<letter id=\"V\" symbol=\"V\" equals=\"ACG\" name=\"Not T\"/>\n"
    "<letter id=\"H\" symbol=\"H\" equals=\"ACT\" name=\"Not G\"/>\n"
    "<letter id=\"D\" symbol=\"D\" equals=\"AGT\" name=\"Not C\"/>\n"
    "<letter id=\"B\" symbol=\"B\" equals=\"CGT\" name=\"Not A\"/>\n"
    "<letter id=\"M\" symbol=\"M\" equals=\"AC\" name=\"Amino\"/>\n"
    "<letter id=\"R\" symbol=\"R\" equals=\"AG\" name=\"Purine\"/>\n"
    "<letter id=\"W\" symbol=\"W\" equals=\"AT\" name=\"Weak\"/>\n"
    "<letter id=\"S\" symbol=\"S\" equals=\"CG\" name=\"Strong\"/>\n"
    "<letter id=\"Y\" symbol=\"Y\" equals=\"CT\" name=\"Pyrimidine\"/>\n"
    "<letter id=\"K\" symbol=\"K\" equals=\"GT\" name=\"Keto\"/>\n"
    "</alphabet>\n";

void cm_fimo_write_xml(FILE *fp, const cm_fimo_xml_opts_t *o, const cm_motifset_t *all,
                       const double bg[4], const cm_seqlist_t *seqs)
{
    char num[64];
    long residues = 0;
    for (int i = 0; i < seqs->n; i++) residues += seqs->s[i].length;
    fputs("<?xml version=\"1.0\" encoding=\"UTF-8\" standalone=\"no\"?>\n"
          "<!-- Begin document body -->\n", fp);
    /* version: the FIMO layout reproduced; release: the tool that wrote it */
    fprintf(fp, "<fimo version=\"5.5.8\" release=\"coopmap-scan %s\">\n", COOPMAP_VERSION);
    /* FIMO 5.5.8 prints these namespace lines after the start tag (character data) */
    fputs("  xmlns:xsi=\"http://www.w3.org/2001/XMLSchema-instance\"\n"
          "  xsi:schemaLocation=  xmlns:fimo=\"http://noble.gs.washington.edu/schema/fimo\"\n"
          ">\n", fp);
    fputs("<command-line>", fp);
    cm_svg_esc(fp, o->cmdline);
    fputs("</command-line>\n<settings>\n", fp);
    setting(fp, "output directory", o->oc);
    setting(fp, "MEME file name", o->motif_path);
    setting(fp, "sequence file name", o->seq_path);
    setting(fp, "background file name", o->bg_source);
    setting(fp, "allow clobber", "true");
    setting(fp, "compute q-values", o->qvalues ? "true" : "false");
    setting(fp, "parse genomic coord.", o->pgc ? "true" : "false");
    setting(fp, "text only", "false");
    setting(fp, "scan both strands", o->norc ? "false" : "true");
    snprintf(num, sizeof num, "%3.2g", o->thresh);
    setting(fp, "output threshold", num);
    setting(fp, "threshold type", o->qv_thresh ? "q-value" : "p-value");
    snprintf(num, sizeof num, "%ld", o->max_stored);
    setting(fp, "max stored scores", num);
    snprintf(num, sizeof num, "%3.2g", o->pseudo);
    setting(fp, "pseudocount", num);
    snprintf(num, sizeof num, "%d", o->verbosity);
    setting(fp, "verbosity", num);
    for (int i = 0; i < o->nselected; i++) setting(fp, "selected motif", o->selected[i]);
    fputs("</settings>\n", fp);
    fprintf(fp, "<sequence-data num-sequences=\"%d\" num-residues=\"%ld\" />\n", seqs->n, residues);
    fputs(DNA_ALPH, fp);
    for (int k = 0; k < all->n; k++) {
        const cm_motif_t *m = &all->m[k];
        char *cons = cm_malloc((size_t)m->w + 1);
        cm_motif_consensus(m->freq, m->w, cons);
        fputs("<motif name=\"", fp);
        cm_svg_esc(fp, m->id);
        fputs("\" alt=\"", fp);
        cm_svg_esc(fp, m->alt);
        fprintf(fp, "\" width=\"%d\" best-possible-match=\"%s\"/>\n", m->w, cons);
        free(cons);
    }
    fputs("<background source=\"", fp);
    cm_svg_esc(fp, o->bg_source);
    fputs("\">\n", fp);
    for (int a = 0; a < 4; a++)
        fprintf(fp, "<value letter=\"%c\">%1.3f</value>\n", "ACGT"[a], bg[a]);
    fputs("</background>\n<cisml-file>cisml.xml</cisml-file>\n</fimo>\n", fp);
}

/* hit order for cisml.xml: motif, sequence (scan order), then list position */
typedef struct { int motif, seq; size_t i; } ckey_t;

static int ckey_cmp(const void *x, const void *y)
{
    const ckey_t *a = x, *b = y;
    if (a->motif != b->motif) return a->motif < b->motif ? -1 : 1;
    if (a->seq != b->seq) return a->seq < b->seq ? -1 : 1;
    return (a->i > b->i) - (a->i < b->i);
}

void cm_fimo_write_cisml(FILE *fp, const cm_fimo_xml_opts_t *o, const cm_hitlist_t *l,
                         const cm_motifset_t *scanned, const cm_seqlist_t *seqs)
{
    /* FIMO: one cutoff is set (p, or q with --qv-thresh); the other defaults to 1 */
    double pcut = o->qv_thresh ? 1.0 : o->thresh, qcut = o->qv_thresh ? o->thresh : 1.0;
    fputs("<?xml version=\"1.0\" encoding=\"UTF-8\" standalone=\"no\"?>\n"
          "<cis-element-search\n"
          "  xmlns:xsi=\"http://www.w3.org/2001/XMLSchema-instance\"\n"
          "  xsi:schemaLocation=\"http://zlab.bu.edu/schema/cisml cisml.xsd\"\n"
          "  xmlns=\"http://zlab.bu.edu/schema/cisml\"\n"
          "  xmlns:mem=\"http://noble.gs.washington.edu/meme\"\n>\n"
          "<program-name>fimo</program-name>\n<parameters>\n<command-line>", fp);
    cm_svg_esc(fp, o->cmdline);
    fputs("</command-line>\n<pattern-file>", fp);
    cm_svg_esc(fp, o->motif_path);
    fputs("</pattern-file>\n<sequence-file>", fp);
    cm_svg_esc(fp, o->seq_path);
    fputs("</sequence-file>\n", fp);
    if (!o->qv_thresh) fprintf(fp, "<site-pvalue-cutoff>%g</site-pvalue-cutoff>\n", o->thresh);
    fputs("<sequence-filtering on-off=\"off\"/>\n</parameters>\n", fp);

    ckey_t *ord = cm_malloc((l->n ? l->n : 1) * sizeof *ord);
    for (size_t i = 0; i < l->n; i++) ord[i] = (ckey_t){l->hit[i].motif, l->hit[i].seq_index, i};
    qsort(ord, l->n, sizeof *ord, ckey_cmp);
    size_t j = 0;
    for (int k = 0; k < scanned->n; k++) {
        if (seqs->n == 0) {   /* FIMO prints only patterns with scanned sequences */
            while (j < l->n && ord[j].motif == k) j++;
            continue;
        }
        fputs("<pattern accession=\"", fp);
        cm_svg_esc(fp, scanned->m[k].id);
        fputs("\" name=\"", fp);
        cm_svg_esc(fp, scanned->m[k].alt);
        fputs("\">\n", fp);
        for (int s = 0; s < seqs->n; s++) {
            fputs("<scanned-sequence accession=\"", fp);
            cm_svg_esc(fp, seqs->s[s].name);
            fputs("\" name=\"", fp);
            cm_svg_esc(fp, seqs->s[s].name);
            fputs("\">\n", fp);
            for (; j < l->n && ord[j].motif == k && ord[j].seq == s; j++) {
                const cm_hit_t *h = &l->hit[ord[j].i];
                double q = isnan(h->qvalue) ? 0.0 : h->qvalue;   /* FIMO: 0 when none */
                if (h->pvalue > pcut || q > qcut) continue;
                fprintf(fp, "<matched-element start=\"%ld\" stop=\"%ld\" score=\"%g\" pvalue=\"%.3g\">\n",
                        h->strand == '-' ? h->stop : h->start, h->strand == '-' ? h->start : h->stop,
                        h->score, h->pvalue);
                fputs("<sequence>", fp);
                cm_svg_esc(fp, h->matched);
                fputs("</sequence>\n", fp);
                if (o->qvalues) fprintf(fp, "<mem:qvalue>%.3g</mem:qvalue>\n", h->qvalue);
                fputs("</matched-element>\n", fp);
            }
            fputs("</scanned-sequence>\n", fp);
        }
        if (o->qvalues) fputs("<mem:has-qvalues>yes</mem:has-qvalues>\n", fp);
        fputs("</pattern>\n", fp);
    }
    free(ord);
    fputs("</cis-element-search>\n", fp);
}
