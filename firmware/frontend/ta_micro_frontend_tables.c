/* Micro frontend tables: the one place of the micro frontend with floating point (see ta_micro_frontend.h).
 *
 * Every formula is the op's own, in the op's precision (float, or double for the FFT twiddles), so the
 * integers built here are the op's integers: the Hann window rounded to Q12; the FFT twiddles rounded to
 * Q15; the mel filterbank (mel = 1127 ln(1 + f / 700), num_channels + 1 centers evenly spaced in mel
 * between the band limits, bins from 1.5 + lower / hz_per_bin up to each center, weight = distance to the
 * center / the band's width in mel) rounded to Q12; smoothing coefficients truncated to Q14; and the PCAN
 * gain 2^gain_bits (x / 2^input_bits + offset)^-strength sampled at 3 points per octave and stored as a
 * quadratic's coefficients. A device without an FPU gets these tables as const data generated on the host
 * and never links this file. */
#include "ta_micro_frontend.h"

#include <math.h>
#include <string.h>

#define TA_MFE_PI_D 3.14159265358979323846

static int finite_f(float x)
{
    return x == x && x - x == 0.0f; /* false for NaN and +-inf */
}

static uint32_t window_samples(const ta_mfe_config_t *cfg)
{
    return (uint32_t)((uint64_t)cfg->window_size_ms * cfg->sample_rate_hz / 1000u);
}

static uint32_t fft_size_for(uint32_t window)
{
    uint32_t n = 1u;
    while (n < window) {
        n <<= 1;
    }
    return n;
}

static int32_t log2_of_pow2(uint32_t n)
{
    int32_t k = 0;
    while (n > 1u) {
        n >>= 1;
        k++;
    }
    return k;
}

/* log2(fft) - 6: the scale between this FFT's energies and those of a 64-point one. */
static int32_t correction_bits(uint32_t fft_n)
{
    return log2_of_pow2(fft_n) - (int32_t)TA_MFE_FILTERBANK_BITS / 2;
}

ta_mfe_status_t ta_mfe_config_check(const ta_mfe_config_t *cfg)
{
    uint32_t window;
    uint64_t step;
    if (cfg == NULL) {
        return TA_MFE_ERR_NULL;
    }
    if (cfg->sample_rate_hz < 1000u || cfg->sample_rate_hz > 192000u) {
        return TA_MFE_ERR_SAMPLE_RATE;
    }
    window = window_samples(cfg);
    step = (uint64_t)cfg->window_step_ms * cfg->sample_rate_hz / 1000u;
    if (window < 4u || window > TA_MFE_MAX_FFT || step < 1u || step > window) {
        return TA_MFE_ERR_WINDOW;
    }
    if (cfg->num_channels == 0u || cfg->num_channels > TA_MFE_MAX_CHANNELS) {
        return TA_MFE_ERR_CHANNELS;
    }
    /* Written so that NaN fails. */
    if (!(cfg->lower_band_limit_hz >= 0.0f && cfg->lower_band_limit_hz < cfg->upper_band_limit_hz &&
          finite_f(cfg->upper_band_limit_hz))) {
        return TA_MFE_ERR_BAND;
    }
    if (cfg->smoothing_bits > 31u || !(cfg->even_smoothing >= 0.0f && cfg->even_smoothing <= 1.0f) ||
        !(cfg->odd_smoothing >= 0.0f && cfg->odd_smoothing <= 1.0f) ||
        !(cfg->min_signal_remaining >= 0.0f && cfg->min_signal_remaining <= 1.0f)) {
        return TA_MFE_ERR_NOISE;
    }
    if (cfg->enable_pcan > 1u || cfg->enable_log > 1u || cfg->zero_padding > 1u || cfg->out_scale == 0u ||
        cfg->out_type > (uint8_t)TA_MFE_OUT_FLOAT32) {
        return TA_MFE_ERR_OUTPUT;
    }
    if (cfg->enable_pcan != 0u) {
        int32_t corr = correction_bits(fft_size_for(window));
        int32_t snr_shift = (int32_t)cfg->gain_bits - corr - (int32_t)TA_MFE_PCAN_SNR_BITS;
        int32_t input_bits = (int32_t)cfg->smoothing_bits - corr;
        if (cfg->gain_bits > 31u || !finite_f(cfg->pcan_strength) || !finite_f(cfg->pcan_offset) ||
            cfg->pcan_offset < 0.0f || snr_shift < 0 || snr_shift > 63 || input_bits < 0 || input_bits > 31) {
            return TA_MFE_ERR_PCAN;
        }
    }
    if (cfg->scale_shift > 31u) {
        return TA_MFE_ERR_LOG;
    }
    if (1u + (uint32_t)cfg->left_context + (uint32_t)cfg->right_context > TA_MFE_MAX_STACK ||
        cfg->frame_stride == 0u) {
        return TA_MFE_ERR_CONTEXT;
    }
    if (cfg->clip_samples < window) {
        return TA_MFE_ERR_CLIP;
    }
    return TA_MFE_OK;
}

/* Hann window sampled at bin centers, (i + 0.5) / size of a period: the phase step rounded to float, the
 * value computed in double and rounded to float, then to Q12. */
static void build_window(int16_t *window, uint32_t size)
{
    const float arg = (float)(TA_MFE_PI_D * 2.0 / (double)(float)size);
    uint32_t i;
    for (i = 0; i < size; ++i) {
        float value = (float)(0.5 - 0.5 * cos((double)arg * ((double)i + 0.5)));
        window[i] = (int16_t)floor((double)(value * (float)(1u << TA_MFE_WINDOW_BITS)) + 0.5);
    }
}

static ta_cpx_i16_t q15_unit(double phase)
{
    ta_cpx_i16_t out;
    out.r = (int16_t)floor(0.5 + 32767.0 * cos(phase));
    out.i = (int16_t)floor(0.5 + 32767.0 * sin(phase));
    return out;
}

/* KISS FFT's twiddles for the n/2-point complex transform and the real split, in double. */
static void build_twiddles(ta_cpx_i16_t *twiddles, ta_cpx_i16_t *super_twiddles, uint32_t n)
{
    uint32_t half = n / 2u;
    uint32_t i;
    for (i = 0; i < half; ++i) {
        twiddles[i] = q15_unit(-2.0 * TA_MFE_PI_D * (double)i / (double)half);
    }
    for (i = 0; i < half / 2u; ++i) {
        super_twiddles[i] = q15_unit(-TA_MFE_PI_D * ((double)(i + 1u) / (double)half + 0.5));
    }
}

/* The mel scale in double, rounded to float. */
static float freq_to_mel(float hz)
{
    return (float)(1127.0 * log1p((double)hz / 700.0));
}

/* Bands of consecutive bins and their Q12 weights (the op's filterbank without its alignment padding, which
 * only adds zero weights). */
static ta_mfe_status_t build_filterbank(ta_mfe_table_storage_t *s, const ta_mfe_config_t *cfg, uint32_t n)
{
    uint32_t bands = (uint32_t)cfg->num_channels + 1u;
    uint32_t spectrum_size = n / 2u + 1u;
    float center[TA_MFE_MAX_CHANNELS + 1u];
    const float mel_low = freq_to_mel(cfg->lower_band_limit_hz);
    const float mel_high = freq_to_mel(cfg->upper_band_limit_hz);
    const float mel_spacing = (mel_high - mel_low) / (float)bands;
    const float hz_per_bin = (float)(0.5 * (double)cfg->sample_rate_hz / (double)((float)spectrum_size - 1.0f));
    uint32_t start = (uint32_t)(1.5 + (double)(cfg->lower_band_limit_hz / hz_per_bin));
    uint32_t offset = 0;
    uint32_t b;

    for (b = 0; b < bands; ++b) {
        center[b] = mel_low + mel_spacing * (float)(b + 1u);
    }
    for (b = 0; b < bands; ++b) {
        uint32_t bin = start;
        uint32_t j;
        const float low = b == 0u ? mel_low : center[b - 1u];
        while (bin < spectrum_size && freq_to_mel((float)bin * hz_per_bin) <= center[b]) {
            bin++;
        }
        if (bin >= spectrum_size) {
            return TA_MFE_ERR_BAND; /* the op fails too: its filterbank would end past the spectrum */
        }
        s->band_start[b] = (uint16_t)start;
        s->band_width[b] = (uint16_t)(bin - start);
        for (j = start; j < bin; ++j) {
            float weight = (center[b] - freq_to_mel((float)j * hz_per_bin)) / (center[b] - low);
            s->weights[offset] = (int16_t)floor((double)(weight * (float)(1u << TA_MFE_FILTERBANK_BITS)) + 0.5);
            s->unweights[offset] =
                (int16_t)floor((1.0 - (double)weight) * (double)(1u << TA_MFE_FILTERBANK_BITS) + 0.5);
            offset++;
        }
        start = bin;
    }
    s->tables.num_weights = (uint16_t)offset;
    return TA_MFE_OK;
}

static int16_t pcan_gain_at(const ta_mfe_config_t *cfg, int32_t input_bits, uint32_t x)
{
    const float x_float = (float)x / (float)(1u << (uint32_t)input_bits);
    const float gain = (float)(1u << cfg->gain_bits) * powf(x_float + cfg->pcan_offset, -cfg->pcan_strength);
    if (gain > 32767.0f) {
        return 32767;
    }
    return (int16_t)(gain + 0.5f);
}

/* Per octave [2^(k-1), 2^k), k = 2..32: the gain at its start, middle and end as y0 and the coefficients of
 * y0 + a1 t + a2 t^2 (t in [0, 1)), at lut[4k - 6 ..]; x = 0 and 1 at lut[0], lut[1]. */
static void build_pcan_lut(int16_t *lut, const ta_mfe_config_t *cfg, int32_t input_bits)
{
    uint32_t k;
    memset(lut, 0, TA_MFE_PCAN_LUT_SIZE * sizeof(int16_t));
    lut[0] = pcan_gain_at(cfg, input_bits, 0u);
    lut[1] = pcan_gain_at(cfg, input_bits, 1u);
    for (k = 2u; k <= 32u; ++k) {
        const uint32_t x0 = 1u << (k - 1u);
        const uint32_t x1 = x0 + (x0 >> 1);
        const uint32_t x2 = k == 32u ? x0 + (x0 - 1u) : 2u * x0;
        const int32_t y0 = pcan_gain_at(cfg, input_bits, x0);
        const int32_t y1 = pcan_gain_at(cfg, input_bits, x1);
        const int32_t y2 = pcan_gain_at(cfg, input_bits, x2);
        const int32_t d1 = y1 - y0;
        const int32_t d2 = y2 - y0;
        const int32_t a1 = 4 * d1 - d2;
        const int32_t a2 = d2 - a1;
        lut[4u * k - 6u] = (int16_t)y0;
        lut[4u * k - 5u] = (int16_t)a1;
        lut[4u * k - 4u] = (int16_t)a2;
    }
}

ta_mfe_status_t ta_mfe_build_tables(ta_mfe_table_storage_t *storage, const ta_mfe_config_t *cfg)
{
    ta_mfe_tables_t *t;
    uint32_t window;
    uint32_t n;
    int32_t corr;
    ta_mfe_status_t st;
    if (storage == NULL || cfg == NULL) {
        return TA_MFE_ERR_NULL;
    }
    st = ta_mfe_config_check(cfg);
    if (st != TA_MFE_OK) {
        return st;
    }
    t = &storage->tables;
    memset(t, 0, sizeof *t);
    window = window_samples(cfg);
    n = fft_size_for(window);
    corr = correction_bits(n);

    build_window(storage->window, window);
    build_twiddles(storage->twiddles, storage->super_twiddles, n);
    st = build_filterbank(storage, cfg, n);
    if (st != TA_MFE_OK) {
        return st;
    }
    t->version = TA_MFE_TABLES_VERSION;
    t->config = *cfg;
    t->window_samples = (uint16_t)window;
    t->step_samples = (uint16_t)((uint64_t)cfg->window_step_ms * cfg->sample_rate_hz / 1000u);
    t->window = storage->window;
    t->fft.n = (uint16_t)n;
    t->fft.twiddles = storage->twiddles;
    t->fft.super_twiddles = storage->super_twiddles;
    t->band_start = storage->band_start;
    t->band_width = storage->band_width;
    t->weights = storage->weights;
    t->unweights = storage->unweights;
    t->even_smoothing = (uint16_t)(cfg->even_smoothing * (float)(1u << TA_MFE_NOISE_REDUCTION_BITS));
    t->odd_smoothing = (uint16_t)(cfg->odd_smoothing * (float)(1u << TA_MFE_NOISE_REDUCTION_BITS));
    t->min_signal_remaining =
        (uint16_t)(cfg->min_signal_remaining * (float)(1u << TA_MFE_NOISE_REDUCTION_BITS));
    t->correction_bits = (int16_t)corr;
    if (cfg->enable_pcan != 0u) {
        int32_t input_bits = (int32_t)cfg->smoothing_bits - corr;
        build_pcan_lut(storage->pcan_lut, cfg, input_bits);
        t->snr_shift = (int16_t)((int32_t)cfg->gain_bits - corr - (int32_t)TA_MFE_PCAN_SNR_BITS);
        t->pcan_lut = storage->pcan_lut;
    } else {
        t->snr_shift = 0;
        t->pcan_lut = NULL;
    }
    return TA_MFE_OK;
}

ta_mfe_status_t ta_mfe_init(ta_mfe_t *fe, const ta_mfe_config_t *cfg, ta_mfe_table_storage_t *storage)
{
    ta_mfe_status_t st;
    if (fe == NULL) {
        return TA_MFE_ERR_NULL;
    }
    fe->initialized = 0u;
    st = ta_mfe_build_tables(storage, cfg);
    if (st != TA_MFE_OK) {
        return st;
    }
    return ta_mfe_init_const(fe, &storage->tables);
}
