/* Mel filterbank: sparse triangles over the n/2+1 spectrum bins (each bin feeds at most two). */
#ifndef TA_MEL_H
#define TA_MEL_H

#include "ta_frontend_types.h"

#ifdef __cplusplus
extern "C" {
#endif

/* A view of a filterbank, stored sparse: band b has num_weights[b] consecutive non-zero weights from
 * spectrum bin first_bin[b]; weights[] holds the bands' weights one band after the other. Built by
 * ta_mel_build() into caller RAM, or const arrays generated at build time from the same builder. */
typedef struct {
    uint16_t num_bands;
    uint16_t num_weights_total;  /* length of weights[] */
    const uint16_t *first_bin;   /* num_bands values */
    const uint16_t *num_weights; /* num_bands values */
    const float *weights;        /* num_weights_total values */
} ta_mel_bank_t;

/* Room for the packed weights of any config within the limits (a bin lies in at most two triangles). */
#define TA_MEL_MAX_WEIGHTS (2u * TA_FRONTEND_MAX_SPECTRUM_BINS)

/* Builds the triangles for cfg (mel_scale, mel_weights, mel_norm, num_mel_bins, fmin/fmax,
 * fft_length, sample_rate_hz) into first_bin/num_weights (num_mel_bins each) and weights
 * (weights_capacity values), and points bank at them. cfg must have passed ta_frontend_config_check(). */
ta_frontend_status_t ta_mel_build(ta_mel_bank_t *bank, const ta_frontend_config_t *cfg, uint16_t *first_bin,
                                  uint16_t *num_weights, float *weights, uint32_t weights_capacity);

/* mel[b] = sum_k weights[b][k] * spectrum[k] */
void ta_mel_apply(const ta_mel_bank_t *bank, const float *spectrum, float *mel);

/* Hz <-> mel on the given scale (ta_mel_scale_t), in double: used to build the tables. */
double ta_mel_from_hz(double hz, uint8_t scale);
double ta_mel_to_hz(double mel, uint8_t scale);

#ifdef __cplusplus
}
#endif

#endif /* TA_MEL_H */
