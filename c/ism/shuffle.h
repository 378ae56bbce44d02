/* shuffle.h — dinucleotide-preserving shuffle of a DNA segment (coopmap-ism
 * --knockout shuffle).
 *
 * Method: Altschul & Erickson (1985), "Significance of nucleotide sequence alignments:
 * a method for random sequence permutation that preserves dinucleotide and codon
 * usage", Mol Biol Evol 2:526-538, in the Eulerian-walk form of Kandel et al. (1996)
 * and uShuffle (Jiang et al. 2008, BMC Bioinformatics 9:192), as in MEME's
 * fasta-shuffle-letters -kmer 2:
 *   1. the sequence s[0..n) is a walk in the multigraph on {A,C,G,T} with one edge
 *      s[i] -> s[i+1] per dinucleotide (i = 0..n-2), out-edges of each vertex kept in
 *      sequence order;
 *   2. for every vertex v that has out-edges, other than the last letter l = s[n-1], a
 *      "last edge" out of v is chosen so that the last edges form a random spanning
 *      arborescence directed towards l (Wilson's loop-erased random walk: from each
 *      vertex in turn, follow uniformly chosen out-edges — by edge, so multiplicities
 *      count — until the tree is reached, keeping the last choice at every vertex);
 *   3. the other out-edges of each vertex are put in a uniformly random order
 *      (Fisher-Yates), with the last edge, when there is one, at the end;
 *   4. the shuffled sequence is the walk from s[0] that leaves each vertex by its next
 *      unused edge in that order.
 * The result starts with s[0], ends with s[n-1] and has exactly the dinucleotide
 * counts of s, and (steps 2-3) every such sequence is equally likely.
 *
 * N (code 4, or any code > 3) is kept in place: each maximal run of A/C/G/T between Ns
 * is shuffled on its own with the above (a run keeps its first and last base, so the
 * dinucleotides that touch an N are kept too); the whole segment's dinucleotide counts,
 * N-containing ones included, are therefore preserved exactly.  Runs of length <= 2
 * are unchanged (no other sequence has their dinucleotides).
 *
 * Random numbers: the k-th choice made for the segment (k = 0, 1, ... in the order of
 * the steps above, runs left to right) is cm_rng_below(key, k, m) (core/rng.h), so
 * the result is a pure function of (key, s).
 */
#ifndef COOPMAP_SHUFFLE_H
#define COOPMAP_SHUFFLE_H

#include <stdint.h>

/* Shuffle s[0..n) (nt4 codes, see above) in place, preserving dinucleotide counts and
 * the positions of Ns.  n >= 0; allocation only (never fails otherwise). */
void cm_dinuc_shuffle(uint8_t *s, int n, uint64_t key);

#endif
