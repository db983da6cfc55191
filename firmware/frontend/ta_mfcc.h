/* Log compression of mel energies and DCT-II to cepstral coefficients. */
#ifndef TA_MFCC_H
#define TA_MFCC_H

#include "ta_frontend_types.h"

#ifdef __cplusplus
extern "C" {
#endif

/* The DCT-II kernel cos(pi k (2n+1) / (2M)) is entry k(2n+1) mod 4M of one table of cos(pi j / (2M)),
 * j < 4M, so 4M values replace an M x K matrix. A view: the table is built by ta_mfcc_build() into caller
 * RAM, or a const array generated at build time from the same builder. */
typedef struct {
    uint8_t type;            /* ta_dct_type_t */
    uint16_t num_in;         /* M mel bins */
    uint16_t num_out;        /* K coefficients (0 without a DCT) */
    float scale_first;       /* factor of coefficient 0 */
    float scale_rest;        /* factor of coefficients 1..K-1 */
    const float *cos_table;  /* 4 M values; NULL without a DCT */
} ta_mfcc_t;

/* Fills cos_table (room for 4 * num_mel_bins values; unused and may be NULL when cfg->dct is NONE). */
ta_frontend_status_t ta_mfcc_build(ta_mfcc_t *dct, const ta_frontend_config_t *cfg, float *cos_table);

/* In place on n values: see ta_log_t. */
void ta_log_apply(const ta_frontend_config_t *cfg, float *values, uint16_t n);

/* out[k] = scale_k * sum_n in[n] cos(pi k (2n+1) / (2M)), k < K. in and out must not overlap. */
void ta_mfcc_apply(const ta_mfcc_t *dct, const float *in, float *out);

#ifdef __cplusplus
}
#endif

#endif /* TA_MFCC_H */
