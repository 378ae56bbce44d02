#!/usr/bin/env bats
# coopmap-scan --psp / --prior-dist / --alpha: FIMO's position-specific priors (c/scan/prior.h,
# reproducing fimo.c fimo_score_site, pssm.c scale_score_matrix / get_scaled_lo_prior_dist /
# get_pdf_table / get_pv_lookup_pos_dep, prior-dist.c new_prior_dist of the MEME Suite).
#
# Hand-made fixture (all numbers derived below; lo(p) = log2(a/(1-a)), a = alpha*p, computed
# as ln * 1.44269504):
#   motif a1, w = 1, row A C G T = 0.7 0.1 0.1 0.1, --motif-pseudo 0, uniform background:
#     L_A = log2(0.7/0.25) = 1.485427, L_C = L_G = L_T = log2(0.4) = -1.321928
#   prior distribution d.txt: #min 0.01, #max 0.4, bins 0.75 0.25
#     lo(0.01) = -6.629357, lo(0.4) = log2(0.4/0.6) = -0.584963
#   scaling with the priors' range: small = min(-1.321928, -6.629357) -> offset = floor = -7;
#     large = max(1.485427, -0.584963) = 1.485427 -> scale = floor(1000/8.485427) = 117;
#     M_A = nint(8.485427*117) = nint(992.79) = 993, M_C/G/T = nint(5.678072*117) = 664
#     (the reverse-complement matrix: A and T swapped -> '-' scores T 993, A/C/G 664)
#   prior column: bin scale (2-1)/(0.4-0.01) = 2.564103; bin 0 stands for
#     0.5/2.564103 + 0.01 = 0.205: lo = -1.955331, index nint(5.044669*117) = 590 (mass 0.75);
#     bin 1 for 1.5/2.564103 + 0.01 = 0.595: lo = 0.554968, index nint(7.554968*117) = 884
#     (mass 0.25)
#   null of S' = prior index + M (letter 1/4 each): 590+664 = 1254 (0.5625), 590+993 = 1583
#     (0.1875), 884+664 = 1548 (0.1875), 884+993 = 1877 (0.0625); pv(x) = P(S' >= x)
#   sequence s1 = AACAT, PSP s1 = 0.3 0.05 0.4 0 (no value for position 5)
#   window x, motif score M, prior p: S' = nint(M + (7 + lo(p))*117),
#     score = S'/117 + 2*(-7), p-value = pv(S'):
#     1 + A: lo(0.3) = -1.222392: nint(993 + 675.98) = 1669 -> 0.264957, pv 0.0625
#     1 - A: nint(664 + 675.98) = 1340 -> -2.54701, pv 0.4375 (1583, 1548, 1877)
#     2 + A: lo(0.05) = -4.247928: nint(993 + 321.99) = 1315 -> -2.76068, pv 0.4375
#     2 - A: nint(664 + 321.99) = 986 -> -5.57265, pv 1
#     3 +/- C: lo(0.4) = -0.584963: nint(664 + 750.56) = 1415 -> -1.90598, pv 0.4375
#     4 +/- A: prior 0 -> log-odds -inf -> S' clamped to 0 -> score -14, pv 1
#     5 +/- T: no prior (FIMO's effective default, p = 0) -> the same
#   The same motif score 664 gives S' 1340, 986 and 1415 at windows 1-, 2- and 3: the
#   threshold is position-dependent.
#   --alpha 0.5: lo(0.005) = -7.636625 -> offset -8, large 1.485427 -> scale 105,
#     M_A = nint(9.485427*105) = 996; window 1 +: lo(0.15) = -2.502500,
#     S' = nint(996 + 5.4975*105) = 1573 -> score 1573/105 - 16 = -1.01905; bins at
#     511 and 710, so pv(1573) = P(710+996 = 1706) = 0.0625.

load helpers

setup() {
    T="$BATS_TEST_TMPDIR"
    SCAN="$BIN/coopmap-scan"
    cat > "$T/m.meme" <<'EOF'
MEME version 4

ALPHABET= ACGT

strands: + -

Background letter frequencies
A 0.25 C 0.25 G 0.25 T 0.25

MOTIF a1 one
letter-probability matrix: alength= 4 w= 1 nsites= 20 E= 0
0.7 0.1 0.1 0.1
EOF
    printf '>s1\nAACAT\n' > "$T/s.fa"
    printf '>s1\n0.3 0.05\n0.4 0\n' > "$T/s.psp"
    printf '#min 0.01000\n#max 0.40000\n#median 0.10000\n0.75000\n0.25000\n' > "$T/d.txt"
    P=(--motif-pseudo 0 --bfile --uniform-- --psp "$T/s.psp" --prior-dist "$T/d.txt")
}

@test "scan --psp: hand-derived scores and p-values of every window (prior added per position)" {
    run "$SCAN" --text --thresh 1 "${P[@]}" "$T/m.meme" "$T/s.fa"
    assert_success
    assert_output "$(printf '%s\n' \
'motif_id	motif_alt_id	sequence_name	start	stop	strand	score	p-value	q-value	matched_sequence' \
'a1	one	s1	1	1	+	0.264957	0.0625		A' \
'a1	one	s1	1	1	-	-2.54701	0.438		T' \
'a1	one	s1	2	2	+	-2.76068	0.438		A' \
'a1	one	s1	2	2	-	-5.57265	1		T' \
'a1	one	s1	3	3	+	-1.90598	0.438		C' \
'a1	one	s1	3	3	-	-1.90598	0.438		G' \
'a1	one	s1	4	4	+	-14	1		A' \
'a1	one	s1	4	4	-	-14	1		T' \
'a1	one	s1	5	5	+	-14	1		T' \
'a1	one	s1	5	5	-	-14	1		A')"
    # the threshold is per window: at 0.5 windows 2- (p 1) and 4, 5 drop out; at 0.1 only 1+
    run bash -c "'$SCAN' --text --thresh 0.5 $(printf '%q ' "${P[@]}") '$T/m.meme' '$T/s.fa' | tail -n +2 | cut -f4,6,8 | tr '\t\n' ' ;'"
    assert_output "1 + 0.0625;1 - 0.438;2 + 0.438;3 + 0.438;3 - 0.438;"
    run bash -c "'$SCAN' --text --thresh 0.1 $(printf '%q ' "${P[@]}") '$T/m.meme' '$T/s.fa' | tail -n +2 | cut -f4,6,7,8"
    assert_output "$(printf '1\t+\t0.264957\t0.0625')"
    # --alpha 0.5 rescales every prior (and so the matrix)
    run bash -c "'$SCAN' --text --thresh 0.1 --alpha 0.5 $(printf '%q ' "${P[@]}") '$T/m.meme' '$T/s.fa' | tail -n +2 | cut -f4,6,7,8"
    assert_output "$(printf '1\t+\t-1.01905\t0.0625')"
}

@test "scan --psp: full mode (q-values over the prior p-values), threads and batches change nothing" {
    run "$SCAN" --oc "$T/full" --thresh 0.5 "${P[@]}" "$T/m.meme" "$T/s.fa"
    assert_success
    # m = 10 tested (window, strand) pairs; <= 100 p-values: pi0 = 1; q = p*m/rank,
    # then the running minimum from the bottom: 0.0625*10/1 = 0.625; 0.4375*10/5 = 0.875
    run bash -c "sed -n '2,6p' '$T/full/fimo.tsv' | cut -f4,6,8,9 | tr '\t\n' ' ;'"
    assert_output "1 + 0.0625 0.625;1 - 0.438 0.875;2 + 0.438 0.875;3 + 0.438 0.875;3 - 0.438 0.875;"
    # several sequences, priors on all; chunked and threaded scans are identical
    /usr/bin/python3 - "$T" <<'PY'
import random, sys
random.seed(5)
d = sys.argv[1]
with open(d + "/many.fa", "w") as f, open(d + "/many.psp", "w") as g:
    for i, n in enumerate([700, 1, 2500, 90]):
        s = "".join(random.choice("ACGT") for _ in range(n))
        f.write(">q%d extra words\n%s\n" % (i, s))
        g.write(">q%d\n" % i)
        pr = [random.choice([0.0, 0.02, 0.1, 0.3, 0.39]) for _ in range(n - (i == 2) * 40)]
        g.write(" ".join("%g" % x for x in pr) + "\n")
PY
    for t in 1 2 3; do
        "$SCAN" --text --thresh 0.2 --threads "$t" --batch-bases 333 --motif-pseudo 0 --bfile --uniform-- \
            --psp "$T/many.psp" --prior-dist "$T/d.txt" "$T/m.meme" "$T/many.fa" > "$T/t$t.tsv"
    done
    "$SCAN" --text --thresh 0.2 --motif-pseudo 0 --bfile --uniform-- \
        --psp "$T/many.psp" --prior-dist "$T/d.txt" "$T/m.meme" "$T/many.fa" > "$T/t0.tsv"
    cmp "$T/t0.tsv" "$T/t1.tsv"
    cmp "$T/t0.tsv" "$T/t2.tsv"
    cmp "$T/t0.tsv" "$T/t3.tsv"
    # the rows are exactly the windows whose own prior passes: pv(x) is 0.4375 up to 1548,
    # 0.25 up to 1583, 0.0625 up to 1877, so p <= 0.2 needs S' >= 1584; an A window ('+';
    # T on '-', M 993) needs 993 + (7 + lo)*117 >= 1583.5 -> lo >= -1.9530 -> p >= 0.2056
    # (0.3, 0.39 pass, 0.1 does not); M 664 needs lo >= 0.8590 -> p >= 0.6446: never.  The
    # last 40 positions of q2 have no prior.
    run /usr/bin/python3 - "$T" <<'PY'
import sys
d = sys.argv[1]
seqs, pri = {}, {}
for path, store in ((d + "/many.fa", seqs), (d + "/many.psp", pri)):
    name = None
    for line in open(path):
        if line.startswith(">"):
            name = line[1:].split()[0]; store[name] = []
        else:
            store[name] += line.split()
want = []
for name in ("q0", "q1", "q2", "q3"):
    s = "".join(seqs[name]); p = [float(x) for x in pri[name]]
    for x, c in enumerate(s):
        pr = p[x] if x < len(p) else 0.0
        for strand, letter in (("+", "A"), ("-", "T")):
            if c == letter and pr >= 0.2056:
                want.append("%s\t%d\t%s" % (name, x + 1, strand))
got = [l.split("\t") for l in open(d + "/t1.tsv").read().splitlines()[1:]]
got = ["%s\t%s\t%s" % (f[2], f[3], f[5]) for f in got]
print(len(want), want == got)
PY
    assert_output --regexp '^[0-9]+ True$'
    [ "${output%% *}" -gt 50 ]
}

@test "scan --psp: uniform priors inside the motif's log-odds range keep FIMO's p-values (round trip)" {
    # a single-point distribution (#min = #max = 0.2, lo = log2(0.25) = -2) does not widen
    # the matrix's range (its cells span about -8 .. 2), so scale and offset are unchanged
    # and S' = S + nint((-2 - offset)*scale): every p-value equals the no-prior scan's and
    # every score is the no-prior score + lo = score - 2
    M="$SHARED/data/jaspar/JASPAR2024_CORE_vertebrates_non-redundant.meme"
    [ -f "$M" ] || skip "JASPAR file not found"
    /usr/bin/python3 - "$T" <<'PY'
import random, sys
random.seed(9)
d = sys.argv[1]
with open(d + "/u.fa", "w") as f, open(d + "/u.psp", "w") as g:
    for i, n in enumerate([20000, 5000]):
        f.write(">u%d\n%s\n" % (i, "".join(random.choice("ACGT") for _ in range(n))))
        g.write(">u%d\n%s\n" % (i, " ".join(["0.2"] * n)))
PY
    printf '#min 0.2\n#max 0.2\n#median 0.2\n1.0\n' > "$T/u.txt"
    sel=(--motif MA0139.2 --motif MA0079.5 --motif MA0114.5 --thresh 1e-3)
    "$SCAN" --text "${sel[@]}" "$M" "$T/u.fa" > "$T/plain.tsv"
    "$SCAN" --text "${sel[@]}" --psp "$T/u.psp" --prior-dist "$T/u.txt" "$M" "$T/u.fa" > "$T/prior.tsv"
    run /usr/bin/python3 - "$T/plain.tsv" "$T/prior.tsv" <<'PY'
import sys
a = [l.split("\t") for l in open(sys.argv[1]).read().splitlines()[1:]]
b = [l.split("\t") for l in open(sys.argv[2]).read().splitlines()[1:]]
same = len(a) == len(b) and all(x[:6] + x[7:] == y[:6] + y[7:] for x, y in zip(a, b))
shift = max(abs(float(y[6]) - float(x[6]) + 2) for x, y in zip(a, b))
print(len(a), same, shift < 0.01)
PY
    assert_output --regexp '^[0-9]+ True True$'
    [ "${output%% *}" -gt 20 ]
}

@test "scan --psp: bad input names FILE:LINE and writes nothing" {
    printf '>s2\n0.3\n' > "$T/other.psp"
    run "$SCAN" --text -o "$T/o.tsv" --psp "$T/other.psp" --prior-dist "$T/d.txt" "$T/m.meme" "$T/s.fa"
    assert_failure
    assert_output "coopmap-scan: $T/other.psp:1: PSP record s2 does not match sequence 1 of the FASTA, s1 (FIMO needs one record per sequence, in the same order)"
    [ ! -e "$T/o.tsv" ]
    printf '>s1\n0.3 0.2\n0.1 1.5\n' > "$T/big.psp"
    run "$SCAN" --text --psp "$T/big.psp" --prior-dist "$T/d.txt" "$T/m.meme" "$T/s.fa"
    assert_failure
    assert_output "coopmap-scan: $T/big.psp:3: '1.5' is not a prior (a number in [0, 1])"
    printf '#min 0.01\n#max 0.4\n#median 0.1\n0.5\nabc\n' > "$T/bad.txt"
    run "$SCAN" --text --psp "$T/s.psp" --prior-dist "$T/bad.txt" "$T/m.meme" "$T/s.fa"
    assert_failure
    assert_output "coopmap-scan: $T/bad.txt:5: 'abc' is not a bin value (a number >= 0)"
    printf '#max 0.4\n' > "$T/nomin.txt"
    run "$SCAN" --text --psp "$T/s.psp" --prior-dist "$T/nomin.txt" "$T/m.meme" "$T/s.fa"
    assert_failure
    assert_output --partial "nomin.txt:1: expected '#min VALUE'"
    run "$SCAN" --text --psp "$T/s.psp" "$T/m.meme" "$T/s.fa"
    assert_failure
    assert_output "coopmap-scan: setting the --psp option requires that the --prior-dist option be set as well"
    run "$SCAN" --text --prior-dist "$T/d.txt" "$T/m.meme" "$T/s.fa"
    assert_failure
    assert_output --partial "requires that the --psp option"
    run "$SCAN" --text --alpha 0 "${P[@]}" "$T/m.meme" "$T/s.fa"
    assert_failure
    assert_output --partial "--alpha"
    # alpha x the largest bin's prior must stay < 1 (its log-odds would be undefined)
    run "$SCAN" --text --alpha 3 "${P[@]}" "$T/m.meme" "$T/s.fa"
    assert_failure
    assert_output --partial "must be < 1"
    printf '>s1\n0.3\n' > "$T/short.psp"
    printf '>s1\nAAAA\n>s2\nCCCC\n' > "$T/two.fa"
    run "$SCAN" --text --psp "$T/short.psp" --prior-dist "$T/d.txt" "$T/m.meme" "$T/two.fa"
    assert_failure
    assert_output --partial "no PSP record for sequence 2, s2"
}
