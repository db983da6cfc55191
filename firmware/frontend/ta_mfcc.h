/* Log compression of mel energies and DCT-II to cepstral coefficients. */
#ifndef TA_MFCC_H
#define TA_MFCC_H

#include "ta_frontend_types.h"

#ifdef __cplusplus
extern "C" {
#endif

/* cos(pi j / (2 M)) for j < 4 M: the DCT-II kernel cos(pi k (2n+1) / (2M)) is entry k(2n+1) mod 4M,
 * so one table of 4 M values replaces an M x K matrix. */
typedef struct {
    uint8_t type;          /* ta_dct_type_t */
    uint16_t num_in;       /* M mel bins */
    uint16_t num_out;      /* K coefficients */
    float scale_first;     /* factor of coefficient 0 */
    float scale_rest;      /* factor of coefficients 1..K-1 */
    float cos_table[4u * TA_FRONTEND_MAX_MEL_BINS];
} ta_mfcc_t;

ta_frontend_status_t ta_mfcc_init(ta_mfcc_t *dct, const ta_frontend_config_t *cfg);

/* In place on n values: see ta_log_t. */
void ta_log_apply(const ta_frontend_config_t *cfg, float *values, uint16_t n);

/* out[k] = scale_k * sum_n in[n] cos(pi k (2n+1) / (2M)), k < K. in and out must not overlap. */
void ta_mfcc_apply(const ta_mfcc_t *dct, const float *in, float *out);

#ifdef __cplusplus
}
#endif

#endif /* TA_MFCC_H */
