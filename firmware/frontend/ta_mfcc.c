/* Log compression and DCT-II (TF's MFCC scaling or orthonormal). */
#include "ta_mfcc.h"

#include <math.h>

#define TA_PI_D 3.14159265358979323846

ta_frontend_status_t ta_mfcc_build(ta_mfcc_t *dct, const ta_frontend_config_t *cfg, float *cos_table)
{
    uint32_t m;
    uint32_t j;
    if (dct == NULL || cfg == NULL) {
        return TA_FRONTEND_ERR_NULL;
    }
    m = cfg->num_mel_bins;
    dct->type = cfg->dct;
    dct->num_in = cfg->num_mel_bins;
    dct->num_out = 0;
    dct->scale_first = 0.0f;
    dct->scale_rest = 0.0f;
    dct->cos_table = NULL;
    if (cfg->dct == (uint8_t)TA_DCT_NONE) {
        return TA_FRONTEND_OK;
    }
    if (cos_table == NULL) {
        return TA_FRONTEND_ERR_NULL;
    }
    if (m == 0u || m > TA_FRONTEND_MAX_MEL_BINS) {
        return TA_FRONTEND_ERR_MEL_BINS;
    }
    if (cfg->num_coeffs == 0u || cfg->num_coeffs > m) {
        return TA_FRONTEND_ERR_COEFFS;
    }
    dct->num_out = cfg->num_coeffs;
    for (j = 0; j < 4u * m; ++j) {
        cos_table[j] = (float)cos(TA_PI_D * (double)j / (2.0 * (double)m));
    }
    dct->cos_table = cos_table;
    /* TF: 2 * sum(...) * rsqrt(2M) for every k; orthonormal: sqrt(1/M) for k = 0, sqrt(2/M) else. */
    dct->scale_rest = (float)sqrt(2.0 / (double)m);
    dct->scale_first = cfg->dct == (uint8_t)TA_DCT_TF ? dct->scale_rest : (float)sqrt(1.0 / (double)m);
    return TA_FRONTEND_OK;
}

void ta_log_apply(const ta_frontend_config_t *cfg, float *values, uint16_t n)
{
    uint32_t i;
    float floor_value = cfg->log_floor;
    float offset = cfg->log_offset;
    if (cfg->log_type == (uint8_t)TA_LOG_NONE) {
        return;
    }
    for (i = 0; i < n; ++i) {
        float x = values[i] > floor_value ? values[i] : floor_value;
        x += offset;
        values[i] = cfg->log_type == (uint8_t)TA_LOG_LN ? logf(x) : 10.0f * log10f(x);
    }
}

void ta_mfcc_apply(const ta_mfcc_t *dct, const float *in, float *out)
{
    uint32_t period = 4u * dct->num_in;
    uint32_t k;
    for (k = 0; k < dct->num_out; ++k) {
        uint32_t index = k;       /* k (2n + 1) mod 4M, advanced by 2k per n */
        uint32_t step = 2u * k;
        uint32_t n;
        float acc = 0.0f;
        for (n = 0; n < dct->num_in; ++n) {
            acc += in[n] * dct->cos_table[index];
            index += step;
            if (index >= period) {
                index -= period;
            }
        }
        out[k] = acc * (k == 0u ? dct->scale_first : dct->scale_rest);
    }
}
