/* Frontend state machine: buffering hops into frames, and the per-frame pipeline. */
#include "ta_frontend.h"

#include <math.h>
#include <string.h>

#define TA_PI_D 3.14159265358979323846

static int is_finite_f(float x)
{
    return x == x && x - x == 0.0f; /* false for NaN and +-inf without needing isfinite() */
}

ta_frontend_status_t ta_frontend_config_check(const ta_frontend_config_t *cfg)
{
    uint32_t n;
    if (cfg == NULL) {
        return TA_FRONTEND_ERR_NULL;
    }
    if (cfg->sample_rate_hz < 1000u || cfg->sample_rate_hz > 192000u) {
        return TA_FRONTEND_ERR_SAMPLE_RATE;
    }
    n = cfg->fft_length;
    if (n < 2u || n > TA_FRONTEND_MAX_FFT || (n & (n - 1u)) != 0u) {
        return TA_FRONTEND_ERR_FFT_LENGTH;
    }
    if (cfg->frame_length == 0u || cfg->frame_length > n) {
        return TA_FRONTEND_ERR_FRAME_LENGTH;
    }
    if (cfg->hop_length == 0u || cfg->hop_length > cfg->frame_length) {
        return TA_FRONTEND_ERR_HOP_LENGTH;
    }
    if (cfg->window > (uint8_t)TA_WINDOW_HANN_SYMMETRIC || cfg->center > 1u ||
        cfg->spectrum > (uint8_t)TA_SPECTRUM_POWER || cfg->mel_scale > (uint8_t)TA_MEL_SCALE_SLANEY ||
        cfg->mel_weights > (uint8_t)TA_MEL_WEIGHTS_LIBROSA || cfg->mel_norm > (uint8_t)TA_MEL_NORM_SLANEY ||
        cfg->log_type > (uint8_t)TA_LOG_DB || cfg->dct > (uint8_t)TA_DCT_ORTHO ||
        cfg->normalize > (uint8_t)TA_NORMALIZE_MAX_ABS) {
        return TA_FRONTEND_ERR_ENUM;
    }
    if (cfg->clip_samples == 0u || (cfg->center == 0u && cfg->clip_samples < cfg->frame_length)) {
        return TA_FRONTEND_ERR_CLIP_LENGTH;
    }
    if (cfg->num_mel_bins == 0u || cfg->num_mel_bins > TA_FRONTEND_MAX_MEL_BINS) {
        return TA_FRONTEND_ERR_MEL_BINS;
    }
    /* Written so that NaN fails every comparison. */
    if (!(cfg->fmin_hz >= 0.0f && cfg->fmin_hz < cfg->fmax_hz &&
          (double)cfg->fmax_hz <= 0.5 * (double)cfg->sample_rate_hz)) {
        return TA_FRONTEND_ERR_MEL_RANGE;
    }
    if (cfg->log_type != (uint8_t)TA_LOG_NONE) {
        if (!is_finite_f(cfg->log_floor) || !is_finite_f(cfg->log_offset) || cfg->log_floor < 0.0f ||
            cfg->log_offset < 0.0f || (cfg->log_floor == 0.0f && cfg->log_offset == 0.0f)) {
            return TA_FRONTEND_ERR_LOG;
        }
    }
    if (cfg->dct != (uint8_t)TA_DCT_NONE && (cfg->num_coeffs == 0u || cfg->num_coeffs > cfg->num_mel_bins)) {
        return TA_FRONTEND_ERR_COEFFS;
    }
    return TA_FRONTEND_OK;
}

uint32_t ta_frontend_num_frames(const ta_frontend_config_t *cfg, uint32_t n_samples)
{
    if (cfg == NULL || cfg->hop_length == 0u) {
        return 0u;
    }
    if (cfg->center != 0u) {
        return 1u + n_samples / cfg->hop_length;
    }
    if (n_samples < cfg->frame_length) {
        return 0u;
    }
    return 1u + (n_samples - cfg->frame_length) / cfg->hop_length;
}

uint16_t ta_frontend_num_features(const ta_frontend_config_t *cfg)
{
    if (cfg == NULL) {
        return 0u;
    }
    return cfg->dct != (uint8_t)TA_DCT_NONE ? cfg->num_coeffs : cfg->num_mel_bins;
}

/* Zero samples before the first input sample (librosa center=True), so that frame i starts at
 * input sample i*hop - pad. */
static uint32_t center_padding(const ta_frontend_config_t *cfg)
{
    uint32_t fft = cfg->fft_length;
    if (cfg->center == 0u) {
        return 0u;
    }
    return fft / 2u - (fft - (uint32_t)cfg->frame_length) / 2u;
}

static void build_window(const ta_frontend_config_t *cfg, float *window)
{
    uint32_t n = cfg->frame_length;
    uint32_t i;
    double period = cfg->window == (uint8_t)TA_WINDOW_HANN_PERIODIC ? (double)n : (double)n - 1.0;
    for (i = 0; i < n; ++i) {
        window[i] = n == 1u ? 1.0f : (float)(0.5 - 0.5 * cos(2.0 * TA_PI_D * (double)i / period));
    }
}

ta_frontend_status_t ta_frontend_build_tables(ta_frontend_table_storage_t *storage, const ta_frontend_config_t *cfg)
{
    ta_frontend_tables_t *t;
    ta_frontend_status_t status;
    if (storage == NULL || cfg == NULL) {
        return TA_FRONTEND_ERR_NULL;
    }
    t = &storage->tables;
    t->version = 0u; /* valid only once every table is built */
    status = ta_frontend_config_check(cfg);
    if (status != TA_FRONTEND_OK) {
        return status;
    }
    t->config = *cfg;
    build_window(cfg, storage->window);
    t->window = storage->window;
    status = ta_rfft_build(&t->fft, cfg->fft_length, storage->fft_cos, storage->fft_sin, storage->fft_swaps);
    if (status == TA_FRONTEND_OK) {
        status = ta_mel_build(&t->mel, cfg, storage->mel_first_bin, storage->mel_num_weights,
                              storage->mel_weights, TA_MEL_MAX_WEIGHTS);
    }
    if (status == TA_FRONTEND_OK) {
        status = ta_mfcc_build(&t->dct, cfg, storage->dct_cos);
    }
    if (status == TA_FRONTEND_OK) {
        t->version = TA_FRONTEND_TABLES_VERSION;
    }
    return status;
}

/* Were these tables built for cfg, and are their views consistent with it (so that no read of the
 * per-frame code leaves an array)? */
static int tables_fit(const ta_frontend_tables_t *t, const ta_frontend_config_t *cfg)
{
    const ta_frontend_config_t *b = &t->config;
    uint32_t spectrum_bins = (uint32_t)cfg->fft_length / 2u + 1u;
    uint32_t total = 0u;
    uint32_t i;
    if (t->version != TA_FRONTEND_TABLES_VERSION || b->sample_rate_hz != cfg->sample_rate_hz ||
        b->frame_length != cfg->frame_length || b->fft_length != cfg->fft_length || b->window != cfg->window ||
        b->mel_scale != cfg->mel_scale || b->mel_weights != cfg->mel_weights || b->mel_norm != cfg->mel_norm ||
        b->num_mel_bins != cfg->num_mel_bins || !(b->fmin_hz == cfg->fmin_hz) || !(b->fmax_hz == cfg->fmax_hz) ||
        b->dct != cfg->dct || (cfg->dct != (uint8_t)TA_DCT_NONE && b->num_coeffs != cfg->num_coeffs)) {
        return 0;
    }
    if (t->window == NULL || t->fft.n != cfg->fft_length || t->fft.cos_table == NULL || t->fft.sin_table == NULL ||
        t->mel.num_bands != cfg->num_mel_bins || t->mel.first_bin == NULL || t->mel.num_weights == NULL ||
        (t->mel.weights == NULL && t->mel.num_weights_total > 0u) || t->dct.type != cfg->dct ||
        t->dct.num_in != cfg->num_mel_bins) {
        return 0;
    }
    if (cfg->dct != (uint8_t)TA_DCT_NONE && (t->dct.num_out != cfg->num_coeffs || t->dct.cos_table == NULL)) {
        return 0;
    }
    if ((t->fft.swaps == NULL && t->fft.num_swaps > 0u) || 4u * (uint32_t)t->fft.num_swaps > cfg->fft_length) {
        return 0;
    }
    for (i = 0; i < 2u * (uint32_t)t->fft.num_swaps; ++i) { /* every swap stays inside the n/2 points */
        if (2u * (uint32_t)t->fft.swaps[i] >= cfg->fft_length) {
            return 0;
        }
    }
    for (i = 0; i < cfg->num_mel_bins; ++i) {
        if ((uint32_t)t->mel.first_bin[i] + t->mel.num_weights[i] > spectrum_bins) {
            return 0;
        }
        total += t->mel.num_weights[i];
    }
    return total == t->mel.num_weights_total;
}

ta_frontend_status_t ta_frontend_init_const(ta_frontend_t *fe, const ta_frontend_config_t *cfg,
                                            const ta_frontend_tables_t *tables)
{
    ta_frontend_status_t status;
    if (fe == NULL || cfg == NULL || tables == NULL) {
        return TA_FRONTEND_ERR_NULL;
    }
    fe->initialized = 0u;
    status = ta_frontend_config_check(cfg);
    if (status != TA_FRONTEND_OK) {
        return status;
    }
    if (!tables_fit(tables, cfg)) {
        return TA_FRONTEND_ERR_TABLES;
    }
    fe->config = *cfg;
    fe->tables = tables;
    fe->gain = 1.0f;
    fe->initialized = TA_FRONTEND_MAGIC;
    return ta_frontend_reset(fe);
}

ta_frontend_status_t ta_frontend_init(ta_frontend_t *fe, const ta_frontend_config_t *cfg,
                                      ta_frontend_table_storage_t *storage)
{
    ta_frontend_status_t status;
    if (fe == NULL || cfg == NULL || storage == NULL) {
        return TA_FRONTEND_ERR_NULL;
    }
    fe->initialized = 0u;
    status = ta_frontend_build_tables(storage, cfg);
    if (status != TA_FRONTEND_OK) {
        return status;
    }
    return ta_frontend_init_const(fe, cfg, &storage->tables);
}

ta_frontend_status_t ta_frontend_reset(ta_frontend_t *fe)
{
    uint32_t pad;
    if (fe == NULL) {
        return TA_FRONTEND_ERR_NULL;
    }
    if (fe->initialized != TA_FRONTEND_MAGIC) {
        return TA_FRONTEND_ERR_NOT_INIT;
    }
    pad = center_padding(&fe->config);
    memset(fe->input, 0, pad * sizeof(float));
    fe->buffered = pad;
    fe->samples_pushed = 0u;
    fe->frames_emitted = 0u;
    return TA_FRONTEND_OK;
}

ta_frontend_status_t ta_frontend_set_gain(ta_frontend_t *fe, float gain)
{
    if (fe == NULL) {
        return TA_FRONTEND_ERR_NULL;
    }
    if (fe->initialized != TA_FRONTEND_MAGIC) {
        return TA_FRONTEND_ERR_NOT_INIT;
    }
    if (!is_finite_f(gain) || !(gain > 0.0f)) {
        return TA_FRONTEND_ERR_GAIN;
    }
    fe->gain = gain;
    return TA_FRONTEND_OK;
}

float ta_frontend_clip_gain(const ta_frontend_config_t *cfg, const float *audio, uint32_t n_samples)
{
    uint32_t i;
    float peak;
    if (cfg == NULL || audio == NULL || n_samples == 0u || cfg->normalize == (uint8_t)TA_NORMALIZE_NONE) {
        return 1.0f;
    }
    peak = cfg->normalize == (uint8_t)TA_NORMALIZE_MAX ? audio[0] : fabsf(audio[0]);
    for (i = 1; i < n_samples; ++i) {
        float x = cfg->normalize == (uint8_t)TA_NORMALIZE_MAX ? audio[i] : fabsf(audio[i]);
        if (x > peak) {
            peak = x;
        }
    }
    /* MLPerf divides by the maximum itself; a negative maximum only flips the sign, which
     * magnitude spectra ignore. A zero or non-finite peak would give inf/NaN: keep the clip. */
    peak = fabsf(peak);
    if (!(peak > 0.0f) || !is_finite_f(1.0f / peak)) {
        return 1.0f;
    }
    return 1.0f / peak;
}

/* One frame from input[0 .. frame_length): window, FFT, spectrum, mel, log, DCT. */
static void compute_frame(ta_frontend_t *fe, float *features)
{
    const ta_frontend_config_t *cfg = &fe->config;
    const ta_frontend_tables_t *tables = fe->tables;
    uint32_t frame = cfg->frame_length;
    uint32_t n = cfg->fft_length;
    uint32_t half = n / 2u;
    uint32_t i;
    float *w = fe->work;
    float nyquist;

    for (i = 0; i < frame; ++i) {
        w[i] = fe->input[i] * tables->window[i];
    }
    for (; i < n; ++i) {
        w[i] = 0.0f;
    }
    ta_rfft_forward(&tables->fft, w);

    /* Unpack in place to half+1 power values: slot k <= 2k, so reads stay ahead of writes. */
    nyquist = w[1] * w[1];
    w[0] = w[0] * w[0];
    for (i = 1; i < half; ++i) {
        float re = w[2u * i];
        float im = w[2u * i + 1u];
        w[i] = re * re + im * im;
    }
    w[half] = nyquist;
    if (cfg->spectrum == (uint8_t)TA_SPECTRUM_MAGNITUDE) {
        for (i = 0; i <= half; ++i) {
            w[i] = sqrtf(w[i]);
        }
    }

    ta_mel_apply(&tables->mel, w, fe->mel);
    ta_log_apply(cfg, fe->mel, cfg->num_mel_bins);
    if (cfg->dct != (uint8_t)TA_DCT_NONE) {
        ta_mfcc_apply(&tables->dct, fe->mel, features);
    } else {
        memcpy(features, fe->mel, (size_t)cfg->num_mel_bins * sizeof(float));
    }
}

/* Appends one hop: n_valid samples from f32 or i16 (else zeros), padded with zeros to hop_length. */
static void append_hop(ta_frontend_t *fe, const float *f32, const int16_t *i16, uint32_t n_valid)
{
    uint32_t hop = fe->config.hop_length;
    float *dst = &fe->input[fe->buffered];
    float gain = fe->gain;
    uint32_t i;
    for (i = 0; i < n_valid; ++i) {
        float x = f32 != NULL ? f32[i] : (float)i16[i] * (1.0f / 32768.0f);
        dst[i] = x * gain;
    }
    for (; i < hop; ++i) {
        dst[i] = 0.0f;
    }
    fe->buffered += hop;
}

/* Emits a frame if one is complete: TA_FRONTEND_OK (written) or TA_FRONTEND_NEED_MORE. */
static ta_frontend_status_t emit_if_ready(ta_frontend_t *fe, float *features)
{
    uint32_t hop = fe->config.hop_length;
    if (fe->buffered < fe->config.frame_length) {
        return TA_FRONTEND_NEED_MORE;
    }
    compute_frame(fe, features);
    /* hop <= frame_length <= buffered, and buffered < frame_length + hop afterwards. */
    memmove(fe->input, &fe->input[hop], (size_t)(fe->buffered - hop) * sizeof(float));
    fe->buffered -= hop;
    fe->frames_emitted += 1u;
    return TA_FRONTEND_OK;
}

static ta_frontend_status_t check_ready(const ta_frontend_t *fe)
{
    if (fe == NULL) {
        return TA_FRONTEND_ERR_NULL;
    }
    if (fe->initialized != TA_FRONTEND_MAGIC) {
        return TA_FRONTEND_ERR_NOT_INIT;
    }
    return TA_FRONTEND_OK;
}

ta_frontend_status_t ta_frontend_push_hop(ta_frontend_t *fe, const float *hop, float *features)
{
    ta_frontend_status_t status = check_ready(fe);
    if (status != TA_FRONTEND_OK) {
        return status;
    }
    if (hop == NULL || features == NULL) {
        return TA_FRONTEND_ERR_NULL;
    }
    append_hop(fe, hop, NULL, fe->config.hop_length);
    fe->samples_pushed += fe->config.hop_length;
    return emit_if_ready(fe, features);
}

ta_frontend_status_t ta_frontend_push_hop_i16(ta_frontend_t *fe, const int16_t *hop, float *features)
{
    ta_frontend_status_t status = check_ready(fe);
    if (status != TA_FRONTEND_OK) {
        return status;
    }
    if (hop == NULL || features == NULL) {
        return TA_FRONTEND_ERR_NULL;
    }
    append_hop(fe, NULL, hop, fe->config.hop_length);
    fe->samples_pushed += fe->config.hop_length;
    return emit_if_ready(fe, features);
}

ta_frontend_status_t ta_frontend_flush(ta_frontend_t *fe, float *features)
{
    uint32_t due;
    ta_frontend_status_t status = check_ready(fe);
    if (status != TA_FRONTEND_OK) {
        return status;
    }
    if (features == NULL) {
        return TA_FRONTEND_ERR_NULL;
    }
    due = ta_frontend_num_frames(&fe->config, fe->samples_pushed);
    while (fe->frames_emitted < due) {
        /* A frame may already be complete (never the case after push_hop, but cheap to check). */
        if (emit_if_ready(fe, features) == TA_FRONTEND_OK) {
            return TA_FRONTEND_OK;
        }
        append_hop(fe, NULL, NULL, 0u);
    }
    return TA_FRONTEND_DONE;
}

ta_frontend_status_t ta_frontend_compute_clip(ta_frontend_t *fe, const float *audio, uint32_t n_samples,
                                              float *features, uint32_t capacity_frames,
                                              uint32_t *frames_out)
{
    uint32_t frames;
    uint32_t hop;
    uint32_t pos = 0u;
    uint32_t stride;
    float saved_gain;
    ta_frontend_status_t status = check_ready(fe);
    if (status != TA_FRONTEND_OK) {
        return status;
    }
    if (frames_out == NULL || (n_samples > 0u && audio == NULL)) {
        return TA_FRONTEND_ERR_NULL;
    }
    *frames_out = 0u;
    frames = ta_frontend_num_frames(&fe->config, n_samples);
    if (frames > capacity_frames) {
        return TA_FRONTEND_ERR_CAPACITY;
    }
    if (frames > 0u && features == NULL) {
        return TA_FRONTEND_ERR_NULL;
    }
    hop = fe->config.hop_length;
    stride = ta_frontend_num_features(&fe->config);
    saved_gain = fe->gain;
    fe->gain = ta_frontend_clip_gain(&fe->config, audio, n_samples);
    (void)ta_frontend_reset(fe);

    while (fe->frames_emitted < frames) {
        /* Same steps as push_hop (real samples) then flush (zeros): identical frames. */
        uint32_t n_valid = 0u;
        if (pos < n_samples) {
            n_valid = n_samples - pos < hop ? n_samples - pos : hop;
            append_hop(fe, &audio[pos], NULL, n_valid);
            pos += n_valid;
        } else {
            append_hop(fe, NULL, NULL, 0u);
        }
        fe->samples_pushed += n_valid;
        (void)emit_if_ready(fe, &features[(size_t)fe->frames_emitted * stride]);
    }
    *frames_out = frames;
    fe->gain = saved_gain;
    (void)ta_frontend_reset(fe);
    return TA_FRONTEND_OK;
}

const char *ta_frontend_status_str(ta_frontend_status_t status)
{
    switch (status) {
    case TA_FRONTEND_OK:
        return "ok";
    case TA_FRONTEND_NEED_MORE:
        return "need more samples";
    case TA_FRONTEND_DONE:
        return "done";
    case TA_FRONTEND_ERR_NULL:
        return "a required pointer is NULL";
    case TA_FRONTEND_ERR_NOT_INIT:
        return "frontend state used before ta_frontend_init() succeeded";
    case TA_FRONTEND_ERR_SAMPLE_RATE:
        return "sample_rate_hz must be in 1000..192000";
    case TA_FRONTEND_ERR_FFT_LENGTH:
        return "fft_length must be a power of two in 2..TA_FRONTEND_MAX_FFT";
    case TA_FRONTEND_ERR_FRAME_LENGTH:
        return "frame_length must be in 1..fft_length";
    case TA_FRONTEND_ERR_HOP_LENGTH:
        return "hop_length must be in 1..frame_length";
    case TA_FRONTEND_ERR_CLIP_LENGTH:
        return "clip_samples must hold at least one frame";
    case TA_FRONTEND_ERR_MEL_BINS:
        return "num_mel_bins must be in 1..TA_FRONTEND_MAX_MEL_BINS";
    case TA_FRONTEND_ERR_MEL_RANGE:
        return "need 0 <= fmin_hz < fmax_hz <= sample_rate_hz / 2";
    case TA_FRONTEND_ERR_COEFFS:
        return "num_coeffs must be in 1..num_mel_bins";
    case TA_FRONTEND_ERR_LOG:
        return "log_floor and log_offset must be finite, >= 0, and not both 0";
    case TA_FRONTEND_ERR_ENUM:
        return "an enum field holds an unknown value";
    case TA_FRONTEND_ERR_CAPACITY:
        return "output buffer too small for the clip's frames";
    case TA_FRONTEND_ERR_GAIN:
        return "gain must be finite and > 0";
    case TA_FRONTEND_ERR_TABLES:
        return "frontend tables are of another version or were built for another config";
    default:
        return "unknown status";
    }
}
