/* Mel filterbank: sparse triangles over the n/2+1 spectrum bins (each bin feeds at most two). */
#ifndef TA_MEL_H
#define TA_MEL_H

#include "ta_frontend_types.h"

#ifdef __cplusplus
extern "C" {
#endif

typedef struct {
    uint16_t num_bands;
    uint16_t first_bin[TA_FRONTEND_MAX_MEL_BINS];    /* first spectrum bin with non-zero weight */
    uint16_t num_weights[TA_FRONTEND_MAX_MEL_BINS];  /* consecutive non-zero weights of the band */
    uint16_t weight_offset[TA_FRONTEND_MAX_MEL_BINS];/* index of the band's first weight in weights[] */
    float weights[2u * TA_FRONTEND_MAX_SPECTRUM_BINS];
} ta_mel_bank_t;

/* Builds the triangles for cfg (mel_scale, mel_weights, mel_norm, num_mel_bins, fmin/fmax,
 * fft_length, sample_rate_hz). cfg must have passed ta_frontend_config_check(). */
ta_frontend_status_t ta_mel_init(ta_mel_bank_t *bank, const ta_frontend_config_t *cfg);

/* mel[b] = sum_k weights[b][k] * spectrum[k] */
void ta_mel_apply(const ta_mel_bank_t *bank, const float *spectrum, float *mel);

/* Hz <-> mel on the given scale (ta_mel_scale_t), in double: used to build the tables. */
double ta_mel_from_hz(double hz, uint8_t scale);
double ta_mel_to_hz(double mel, uint8_t scale);

#ifdef __cplusplus
}
#endif

#endif /* TA_MEL_H */
