/* PDM bitstream -> 16-bit PCM: a 4th-order CIC (cascaded integrator-comb) decimator, for microphones on
 * chips without a PDM-to-PCM peripheral (RP2040's PIO only shifts the bits in).
 *
 * Input: PDM bits packed 32 per word, the earliest bit in the most significant position (a PIO
 * state machine shifting left with autopush does this); bit 1 = +1, bit 0 = -1. One PCM sample per
 * `decimation` bits; `decimation` must divide 32 * words and be 32 or 64 (one or two words per sample).
 * Gain: a full-scale +1 stream gives decimation^4, scaled to 32767 by a right shift (20 for 32, 24 for
 * 64: 4 * log2(decimation)), so full scale maps to int16 full scale.
 *
 * Platform independent and integer only (32-bit modular arithmetic, as CIC filters allow); tested on the
 * host against a sigma-delta modulated sine (tests/python/boards). */
#ifndef TA_PDM_CIC_H
#define TA_PDM_CIC_H

#include <stddef.h>
#include <stdint.h>

#ifdef __cplusplus
extern "C" {
#endif

#define TA_PDM_CIC_ORDER 4

typedef struct {
    uint32_t integrator[TA_PDM_CIC_ORDER];
    uint32_t comb[TA_PDM_CIC_ORDER];   /* previous input of each comb stage */
    uint32_t decimation;
    uint32_t shift;
    uint32_t phase;                    /* bits into the current output sample */
} ta_pdm_cic_t;

/* 0 on success, -1 for an unsupported decimation. */
int ta_pdm_cic_init(ta_pdm_cic_t *cic, uint32_t decimation);

/* Filters `words` words of PDM bits into out (room for words * 32 / decimation samples); returns the
 * number of samples written. */
size_t ta_pdm_cic_process(ta_pdm_cic_t *cic, const uint32_t *pdm, size_t words, int16_t *out);

#ifdef __cplusplus
}
#endif

#endif /* TA_PDM_CIC_H */
