/* Mel filterbank construction (TF's and librosa's) and application. */
#include "ta_mel.h"

#include <math.h>

/* Slaney scale (Auditory Toolbox, librosa htk=False): linear below 1 kHz (200/3 Hz per mel),
 * logarithmic above. */
#define TA_SLANEY_F_SP (200.0 / 3.0)
#define TA_SLANEY_MIN_LOG_HZ 1000.0
#define TA_SLANEY_MIN_LOG_MEL (TA_SLANEY_MIN_LOG_HZ / TA_SLANEY_F_SP)
#define TA_SLANEY_LOGSTEP 0.06875177742094912 /* log(6.4) / 27 */

double ta_mel_from_hz(double hz, uint8_t scale)
{
    if (scale == (uint8_t)TA_MEL_SCALE_HTK) {
        return 2595.0 * log10(1.0 + hz / 700.0);
    }
    if (hz >= TA_SLANEY_MIN_LOG_HZ) {
        return TA_SLANEY_MIN_LOG_MEL + log(hz / TA_SLANEY_MIN_LOG_HZ) / TA_SLANEY_LOGSTEP;
    }
    return hz / TA_SLANEY_F_SP;
}

double ta_mel_to_hz(double mel, uint8_t scale)
{
    if (scale == (uint8_t)TA_MEL_SCALE_HTK) {
        return 700.0 * (pow(10.0, mel / 2595.0) - 1.0);
    }
    if (mel >= TA_SLANEY_MIN_LOG_MEL) {
        return TA_SLANEY_MIN_LOG_HZ * exp(TA_SLANEY_LOGSTEP * (mel - TA_SLANEY_MIN_LOG_MEL));
    }
    return mel * TA_SLANEY_F_SP;
}

/* Weight of spectrum bin k (frequency hz) in band b whose edges are lo < mid < hi. TF builds the
 * triangle in mel (linear_to_mel_weight_matrix), librosa in Hz between mel-spaced edges. */
static double triangle_weight(const ta_frontend_config_t *cfg, double hz, double lo, double mid, double hi)
{
    double x;
    double rise;
    double fall;
    if (cfg->mel_weights == (uint8_t)TA_MEL_WEIGHTS_TF) {
        x = ta_mel_from_hz(hz, cfg->mel_scale);
    } else {
        x = hz;
        lo = ta_mel_to_hz(lo, cfg->mel_scale);
        mid = ta_mel_to_hz(mid, cfg->mel_scale);
        hi = ta_mel_to_hz(hi, cfg->mel_scale);
    }
    rise = (x - lo) / (mid - lo);
    fall = (hi - x) / (hi - mid);
    x = rise < fall ? rise : fall;
    return x > 0.0 ? x : 0.0;
}

ta_frontend_status_t ta_mel_build(ta_mel_bank_t *bank, const ta_frontend_config_t *cfg, uint16_t *first_bin,
                                  uint16_t *num_weights, float *weights, uint32_t weights_capacity)
{
    uint32_t num_bins;
    uint32_t b;
    uint32_t used = 0;
    double mel_lo;
    double mel_hi;
    double bin_hz;

    if (bank == NULL || cfg == NULL || first_bin == NULL || num_weights == NULL || weights == NULL) {
        return TA_FRONTEND_ERR_NULL;
    }
    if (cfg->num_mel_bins == 0u || cfg->num_mel_bins > TA_FRONTEND_MAX_MEL_BINS) {
        return TA_FRONTEND_ERR_MEL_BINS;
    }
    num_bins = (uint32_t)cfg->fft_length / 2u + 1u;
    mel_lo = ta_mel_from_hz((double)cfg->fmin_hz, cfg->mel_scale);
    mel_hi = ta_mel_from_hz((double)cfg->fmax_hz, cfg->mel_scale);
    bin_hz = (double)cfg->sample_rate_hz / (double)cfg->fft_length;

    for (b = 0; b < cfg->num_mel_bins; ++b) {
        double step = (mel_hi - mel_lo) / (double)(cfg->num_mel_bins + 1u);
        double lo = mel_lo + step * (double)b;
        double mid = mel_lo + step * (double)(b + 1u);
        double hi = mel_lo + step * (double)(b + 2u);
        double norm = 1.0;
        uint32_t first = num_bins;
        uint32_t last = 0;
        uint32_t k;

        if (cfg->mel_norm == (uint8_t)TA_MEL_NORM_SLANEY) {
            norm = 2.0 / (ta_mel_to_hz(hi, cfg->mel_scale) - ta_mel_to_hz(lo, cfg->mel_scale));
        }
        /* TF zeroes the DC bin (bands_to_zero = 1); librosa does not. */
        k = cfg->mel_weights == (uint8_t)TA_MEL_WEIGHTS_TF ? 1u : 0u;
        for (; k < num_bins; ++k) {
            if (triangle_weight(cfg, bin_hz * (double)k, lo, mid, hi) > 0.0) {
                if (first == num_bins) {
                    first = k;
                }
                last = k;
            }
        }
        if (first == num_bins) { /* band narrower than a bin: contributes nothing, as in TF/librosa */
            first_bin[b] = 0;
            num_weights[b] = 0;
            continue;
        }
        if (used + (last - first + 1u) > weights_capacity) {
            return TA_FRONTEND_ERR_MEL_BINS;
        }
        first_bin[b] = (uint16_t)first;
        num_weights[b] = (uint16_t)(last - first + 1u);
        for (k = first; k <= last; ++k) {
            weights[used++] = (float)(norm * triangle_weight(cfg, bin_hz * (double)k, lo, mid, hi));
        }
    }
    bank->num_bands = cfg->num_mel_bins;
    bank->num_weights_total = (uint16_t)used;
    bank->first_bin = first_bin;
    bank->num_weights = num_weights;
    bank->weights = weights;
    return TA_FRONTEND_OK;
}

void ta_mel_apply(const ta_mel_bank_t *bank, const float *spectrum, float *mel)
{
    const float *w = bank->weights; /* band b's weights follow band b-1's */
    uint32_t b;
    for (b = 0; b < bank->num_bands; ++b) {
        const float *s = &spectrum[bank->first_bin[b]];
        uint32_t n = bank->num_weights[b];
        uint32_t k;
        float acc = 0.0f;
        for (k = 0; k < n; ++k) {
            acc += w[k] * s[k];
        }
        w += n;
        mel[b] = acc;
    }
}
