/* dna.h — DNA letter codes shared by every module.
 * Codes: A=0, C=1, G=2, T=3 (either case), anything else (N, IUPAC, '-') = 4. */
#ifndef COOPMAP_DNA_H
#define COOPMAP_DNA_H
#include <stdint.h>

/* Code of letter c (0..3 for ACGTacgt, 4 otherwise). */
static inline uint8_t cm_nt4(unsigned char c)
{
    switch (c) {
    case 'A': case 'a': return 0;
    case 'C': case 'c': return 1;
    case 'G': case 'g': return 2;
    case 'T': case 't': return 3;
    default: return 4;
    }
}

/* Upper-case letter of code x (0..3), 'N' for 4. */
static inline char cm_nt4_letter(uint8_t x) { return "ACGTN"[x < 4 ? x : 4]; }

/* Complement of code x (0..3 -> 3..0; 4 stays 4). */
static inline uint8_t cm_nt4_comp(uint8_t x) { return x < 4 ? (uint8_t)(3 - x) : 4; }

/* Complement of a letter, case kept (ACGTN and lower case; others -> 'N'). */
static inline char cm_comp_letter(char c)
{
    switch (c) {
    case 'A': return 'T'; case 'C': return 'G'; case 'G': return 'C'; case 'T': return 'A';
    case 'a': return 't'; case 'c': return 'g'; case 'g': return 'c'; case 't': return 'a';
    case 'n': return 'n';
    default: return 'N';
    }
}
#endif
