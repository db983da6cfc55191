/* Micro frontend, per-frame code: integer only (see ta_micro_frontend.h). No float type, constant or
 * library call appears in this file; a test compiles it for Cortex-M0+ with -mfloat-abi=soft and checks
 * that the object references no floating-point helper. */
#include "ta_micro_frontend.h"

#include <string.h>

/* log2(1 + i/128) - i/128 in Q16, i = 0..128: the correction the integer log adds to the linear
 * interpolation of log2 between octaves (round half up of 65536 (log2(1 + i/128) - i/128)). */
static const uint16_t ta_mfe_log2_correction[129] = {
    0u, 224u, 442u, 654u, 861u, 1063u, 1259u, 1450u, 1636u, 1817u, 1992u, 2163u,
    2329u, 2490u, 2646u, 2797u, 2944u, 3087u, 3224u, 3358u, 3487u, 3611u, 3732u, 3848u,
    3960u, 4068u, 4172u, 4272u, 4368u, 4460u, 4549u, 4633u, 4714u, 4791u, 4864u, 4934u,
    5001u, 5063u, 5123u, 5178u, 5231u, 5280u, 5326u, 5368u, 5408u, 5444u, 5477u, 5507u,
    5533u, 5557u, 5578u, 5595u, 5610u, 5622u, 5631u, 5637u, 5640u, 5641u, 5638u, 5633u,
    5626u, 5615u, 5602u, 5586u, 5568u, 5547u, 5524u, 5498u, 5470u, 5439u, 5406u, 5370u,
    5332u, 5291u, 5249u, 5203u, 5156u, 5106u, 5054u, 5000u, 4944u, 4885u, 4825u, 4762u,
    4697u, 4630u, 4561u, 4490u, 4416u, 4341u, 4264u, 4184u, 4103u, 4020u, 3935u, 3848u,
    3759u, 3668u, 3575u, 3481u, 3384u, 3286u, 3186u, 3084u, 2981u, 2875u, 2768u, 2659u,
    2549u, 2437u, 2323u, 2207u, 2090u, 1971u, 1851u, 1729u, 1605u, 1480u, 1353u, 1224u,
    1094u, 963u, 830u, 695u, 559u, 421u, 282u, 142u, 0u,
};

#define TA_MFE_LOG_BITS 16u      /* Q of the integer log2 */
#define TA_MFE_LOG_SEGMENT_BITS 7u /* 128 interpolation segments per octave */
#define TA_MFE_LN2_Q16 45426u    /* round(2^16 ln 2): log2 -> natural log */

/* Number of significant bits: 0 for 0, 32 for values >= 2^31 (binary search: 5 steps, no CLZ needed). */
static uint32_t bit_length32(uint32_t x)
{
    uint32_t n = 0;
    if (x >= 0x10000u) {
        n += 16u;
        x >>= 16;
    }
    if (x >= 0x100u) {
        n += 8u;
        x >>= 8;
    }
    if (x >= 0x10u) {
        n += 4u;
        x >>= 4;
    }
    if (x >= 0x4u) {
        n += 2u;
        x >>= 2;
    }
    if (x >= 0x2u) {
        n += 1u;
        x >>= 1;
    }
    return n + x;
}

static uint32_t bit_length64(uint64_t x)
{
    uint32_t n = 0;
    if ((x >> 32) != 0u) {
        n = 32u;
        x >>= 32;
    }
    return n + bit_length32((uint32_t)x);
}

static int16_t wrap_i16(int32_t v)
{
    return (int16_t)(uint16_t)(uint32_t)v;
}

/* Rounded integer square roots, digit by digit, as the microfrontend's filterbank does: the result is
 * rounded up when the remainder exceeds it (unless that would overflow the result's width). Values
 * below 2^32 take the 32-bit path (its 16-bit saturation included), as the reference. */
static uint32_t sqrt_round32(uint32_t num)
{
    uint32_t res = 0;
    uint32_t bit;
    if (num == 0u) {
        return 0u;
    }
    bit = 1u << ((bit_length32(num) - 1u) & ~1u); /* the highest power of 4 <= num */
    while (bit != 0u) {
        if (num >= res + bit) {
            num -= res + bit;
            res = (res >> 1) + bit;
        } else {
            res >>= 1;
        }
        bit >>= 2;
    }
    if (num > res && res != 0xFFFFu) {
        res++;
    }
    return res;
}

static uint32_t sqrt_round64(uint64_t num)
{
    uint64_t res = 0;
    uint64_t bit;
    if ((num >> 32) == 0u) {
        return sqrt_round32((uint32_t)num);
    }
    bit = (uint64_t)1u << ((bit_length64(num) - 1u) & ~1u);
    while (bit != 0u) {
        if (num >= res + bit) {
            num -= res + bit;
            res = (res >> 1) + bit;
        } else {
            res >>= 1;
        }
        bit >>= 2;
    }
    if (num > res && res != 0xFFFFFFFFu) {
        res++;
    }
    return (uint32_t)res;
}

/* Fractional part of log2(x) in Q16, x in [2^int_part, 2^(int_part + 1)): linear position within the octave
 * plus the interpolated correction table. */
static uint32_t log2_fraction(uint32_t x, uint32_t int_part)
{
    int32_t frac = (int32_t)(x - (1u << int_part)); /* < 2^31 */
    uint32_t seg;
    int32_t c0;
    int32_t c1;
    int32_t rel;
    if (int_part < TA_MFE_LOG_BITS) {
        frac = (int32_t)((uint32_t)frac << (TA_MFE_LOG_BITS - int_part));
    } else {
        frac >>= int_part - TA_MFE_LOG_BITS;
    }
    seg = (uint32_t)frac >> (TA_MFE_LOG_BITS - TA_MFE_LOG_SEGMENT_BITS);
    c0 = (int32_t)ta_mfe_log2_correction[seg];
    c1 = (int32_t)ta_mfe_log2_correction[seg + 1u];
    rel = ((c1 - c0) * (frac - (int32_t)(seg << (TA_MFE_LOG_BITS - TA_MFE_LOG_SEGMENT_BITS)))) >> TA_MFE_LOG_BITS;
    return (uint32_t)(frac + c0 + rel);
}

/* ln(x) * 2^scale_shift, rounded, for x >= 2 (uint32 arithmetic, as the reference). */
static uint32_t log_scaled(uint32_t x, uint32_t scale_shift)
{
    uint32_t int_part = bit_length32(x) - 1u;
    uint32_t log2_q16 = (int_part << TA_MFE_LOG_BITS) + log2_fraction(x, int_part);
    uint32_t half = 1u << (TA_MFE_LOG_BITS - 1u);
    uint32_t ln_q16 = (uint32_t)(((uint64_t)TA_MFE_LN2_Q16 * log2_q16 + half) >> TA_MFE_LOG_BITS);
    return ((ln_q16 << scale_shift) + half) >> TA_MFE_LOG_BITS;
}

/* PCAN gain for a noise estimate x: a quadratic in the position within x's octave, 3 coefficients per
 * octave from the lookup table (x <= 2: the table's first values directly). */
static int16_t pcan_gain(uint32_t x, const int16_t *lut)
{
    uint32_t octave;
    uint32_t frac;
    const int16_t *coef;
    uint32_t acc;
    int32_t result;
    if (x <= 2u) {
        return lut[x];
    }
    octave = bit_length32(x);
    coef = &lut[4u * octave - 6u];
    frac = ((octave < 11u) ? (x << (11u - octave)) : (x >> (octave - 11u))) & 0x3FFu;
    /* In uint32 (two's complement wrap), with arithmetic shifts on the signed values. */
    acc = (uint32_t)(((int32_t)coef[2] * (int32_t)frac) >> 5);
    acc += (uint32_t)(int32_t)coef[1] << 5;
    acc *= frac;
    result = (int32_t)acc;
    result = (int32_t)((uint32_t)result + (1u << 14)) >> 15;
    result += coef[0];
    return wrap_i16(result);
}

static uint32_t pcan_shrink(uint32_t x)
{
    if (x < (2u << TA_MFE_PCAN_SNR_BITS)) {
        return (x * x) >> (2u + 2u * TA_MFE_PCAN_SNR_BITS - TA_MFE_PCAN_OUTPUT_BITS);
    }
    return (x >> (TA_MFE_PCAN_SNR_BITS - TA_MFE_PCAN_OUTPUT_BITS)) - (1u << TA_MFE_PCAN_OUTPUT_BITS);
}

/* |X[k]|^2 as the reference stores it: an int32 slot, widened with its sign to 64 bits. */
static uint64_t bin_energy(ta_cpx_i16_t x)
{
    uint32_t e = (uint32_t)((int32_t)x.r * x.r) + (uint32_t)((int32_t)x.i * x.i);
    return (uint64_t)(int64_t)(int32_t)e;
}



/* One frame from the full window in fe->input: num_channels values into frame. */
static void compute_frame(ta_mfe_t *fe, uint16_t *frame)
{
    const ta_mfe_tables_t *t = fe->tables;
    const ta_mfe_config_t *cfg = &t->config;
    uint32_t size = t->window_samples;
    uint32_t channels = cfg->num_channels;
    uint32_t i;
    uint32_t shift;
    int16_t max_abs = 0;
    uint32_t offset;

    /* Window (Q12), and the largest magnitude: -32768 does not count (its int16 negation wraps). */
    for (i = 0; i < size; ++i) {
        int16_t v = wrap_i16(((int32_t)fe->input[i] * t->window[i]) >> TA_MFE_WINDOW_BITS);
        int16_t mag = v < 0 ? wrap_i16(-(int32_t)v) : v;
        fe->fft_in[i] = v;
        if (mag > max_abs) {
            max_abs = mag;
        }
    }
    /* Scale up to use the FFT's 16 bits; undone after the square root. */
    shift = 15u - bit_length32((uint32_t)max_abs);
    for (i = 0; i < size; ++i) {
        fe->fft_in[i] = wrap_i16((int32_t)(((uint32_t)(uint16_t)fe->fft_in[i] << shift) & 0xFFFFu));
    }
    for (; i < t->fft.n; ++i) {
        fe->fft_in[i] = 0;
    }
    ta_rfft_i16_forward(&t->fft, fe->fft_in, fe->fft_work, fe->spectrum);

    /* Filterbank: one pass over the bands; each bin's energy goes, weighted, to the channel below its band
     * (band b feeds output channel b - 1) and, unweighted, to the channel of its band (channel b). Output
     * channel c = weights over band c + 1 + unweights over band c, then the square root. */
    offset = 0;
    {
        uint64_t carry = 0; /* unweighted sum of the previous band, owed to the next channel */
        for (i = 0; i <= channels; ++i) {
            const ta_cpx_i16_t *bins = &fe->spectrum[t->band_start[i]];
            const int16_t *w = &t->weights[offset];
            const int16_t *u = &t->unweights[offset];
            uint32_t width = t->band_width[i];
            uint64_t weighted = carry;
            uint64_t unweighted = 0;
            uint32_t j;
            for (j = 0; j < width; ++j) {
                uint64_t e = bin_energy(bins[j]);
                weighted += (uint64_t)(int64_t)w[j] * e;
                unweighted += (uint64_t)(int64_t)u[j] * e;
            }
            if (i > 0u) {
                fe->signal[i - 1u] = sqrt_round64(weighted) >> shift;
            }
            carry = unweighted;
            offset += width;
        }
    }

    /* Noise reduction: low-pass noise estimate (Q smoothing_bits), subtracted, with a floor. */
    for (i = 0; i < channels; ++i) {
        uint32_t smoothing = (i & 1u) == 0u ? t->even_smoothing : t->odd_smoothing;
        uint32_t keep = (1u << TA_MFE_NOISE_REDUCTION_BITS) - smoothing;
        uint32_t scaled = fe->signal[i] << cfg->smoothing_bits;
        uint32_t estimate = (uint32_t)(((uint64_t)scaled * smoothing + (uint64_t)fe->noise_estimate[i] * keep) >>
                                       TA_MFE_NOISE_REDUCTION_BITS);
        uint32_t floor_value =
            (uint32_t)(((uint64_t)fe->signal[i] * t->min_signal_remaining) >> TA_MFE_NOISE_REDUCTION_BITS);
        uint32_t subtracted;
        fe->noise_estimate[i] = estimate;
        if (estimate > scaled) {
            estimate = scaled;
        }
        subtracted = (scaled - estimate) >> cfg->smoothing_bits;
        fe->signal[i] = subtracted > floor_value ? subtracted : floor_value;
    }

    /* PCAN: signal * gain(noise estimate), then a soft shrink. */
    if (cfg->enable_pcan != 0u) {
        for (i = 0; i < channels; ++i) {
            uint32_t gain = (uint32_t)(int32_t)pcan_gain(fe->noise_estimate[i], t->pcan_lut);
            uint32_t snr = (uint32_t)(((uint64_t)fe->signal[i] * gain) >> (uint32_t)t->snr_shift);
            fe->signal[i] = pcan_shrink(snr);
        }
    }

    /* Log scale, saturated to uint16. */
    for (i = 0; i < channels; ++i) {
        uint32_t value = fe->signal[i];
        if (cfg->enable_log != 0u) {
            if (t->correction_bits < 0) {
                value >>= (uint32_t)(-t->correction_bits);
            } else {
                value <<= (uint32_t)t->correction_bits;
            }
            value = value > 1u ? log_scaled(value, cfg->scale_shift) : 0u;
        }
        frame[i] = (uint16_t)(value < 0xFFFFu ? value : 0xFFFFu);
    }
}

static uint32_t stack_depth(const ta_mfe_config_t *cfg)
{
    return 1u + (uint32_t)cfg->left_context + (uint32_t)cfg->right_context;
}

static int is_pow2(uint32_t x)
{
    return x != 0u && (x & (x - 1u)) == 0u;
}

ta_mfe_status_t ta_mfe_init_const(ta_mfe_t *fe, const ta_mfe_tables_t *tables)
{
    const ta_mfe_config_t *cfg;
    uint64_t window;
    uint64_t step;
    uint32_t n;
    uint32_t bands;
    uint32_t c;
    uint32_t total = 0;
    if (fe == NULL || tables == NULL) {
        return TA_MFE_ERR_NULL;
    }
    fe->initialized = 0u;
    cfg = &tables->config;
    if (tables->version != TA_MFE_TABLES_VERSION) {
        return TA_MFE_ERR_TABLES;
    }
    if (cfg->sample_rate_hz < 1000u || cfg->sample_rate_hz > 192000u) {
        return TA_MFE_ERR_SAMPLE_RATE;
    }
    window = (uint64_t)cfg->window_size_ms * cfg->sample_rate_hz / 1000u;
    step = (uint64_t)cfg->window_step_ms * cfg->sample_rate_hz / 1000u;
    n = tables->fft.n;
    if (window < 4u || window > TA_MFE_MAX_FFT || step < 1u || step > window) {
        return TA_MFE_ERR_WINDOW;
    }
    if (cfg->num_channels == 0u || cfg->num_channels > TA_MFE_MAX_CHANNELS) {
        return TA_MFE_ERR_CHANNELS;
    }
    if (cfg->smoothing_bits > 31u) {
        return TA_MFE_ERR_NOISE;
    }
    if (cfg->scale_shift > 31u) {
        return TA_MFE_ERR_LOG;
    }
    if (stack_depth(cfg) > TA_MFE_MAX_STACK || cfg->frame_stride == 0u) {
        return TA_MFE_ERR_CONTEXT;
    }
    if (cfg->enable_pcan > 1u || cfg->enable_log > 1u || cfg->zero_padding > 1u || cfg->out_scale == 0u ||
        cfg->out_type > (uint8_t)TA_MFE_OUT_FLOAT32) {
        return TA_MFE_ERR_OUTPUT;
    }
    if (cfg->clip_samples < window) {
        return TA_MFE_ERR_CLIP;
    }
    /* The tables must be those of this config's sizes, and fit the state's buffers. */
    if (tables->window_samples != window || tables->step_samples != step || !is_pow2(n) || n < window ||
        n / 2u >= window || tables->window == NULL || tables->fft.twiddles == NULL ||
        tables->fft.super_twiddles == NULL || tables->band_start == NULL || tables->band_width == NULL ||
        tables->weights == NULL || tables->unweights == NULL ||
        tables->correction_bits != (int16_t)((int32_t)bit_length32(n) - 1 - (int32_t)TA_MFE_FILTERBANK_BITS / 2) ||
        tables->even_smoothing > (1u << TA_MFE_NOISE_REDUCTION_BITS) ||
        tables->odd_smoothing > (1u << TA_MFE_NOISE_REDUCTION_BITS) ||
        (cfg->enable_pcan != 0u && (tables->pcan_lut == NULL || tables->snr_shift < 0 || tables->snr_shift > 63))) {
        return TA_MFE_ERR_TABLES;
    }
    bands = (uint32_t)cfg->num_channels + 1u;
    for (c = 0; c < bands; ++c) {
        if ((uint32_t)tables->band_start[c] + tables->band_width[c] > n / 2u + 1u) {
            return TA_MFE_ERR_TABLES;
        }
        total += tables->band_width[c];
    }
    if (total != tables->num_weights) {
        return TA_MFE_ERR_TABLES;
    }
    fe->tables = tables;
    fe->initialized = TA_MFE_MAGIC;
    return ta_mfe_reset(fe);
}

ta_mfe_status_t ta_mfe_reset(ta_mfe_t *fe)
{
    if (fe == NULL) {
        return TA_MFE_ERR_NULL;
    }
    if (fe->initialized != TA_MFE_MAGIC) {
        return TA_MFE_ERR_NOT_INIT;
    }
    fe->buffered = 0u;
    fe->frames = 0u;
    fe->rows = 0u;
    memset(fe->input, 0, sizeof fe->input);
    memset(fe->noise_estimate, 0, sizeof fe->noise_estimate);
    memset(fe->history, 0, sizeof fe->history);
    return TA_MFE_OK;
}

uint32_t ta_mfe_num_frames(const ta_mfe_tables_t *tables, uint32_t n_samples)
{
    if (tables == NULL || tables->step_samples == 0u || n_samples < tables->window_samples) {
        return 0u;
    }
    return 1u + (n_samples - tables->window_samples) / tables->step_samples;
}

uint32_t ta_mfe_num_rows(const ta_mfe_tables_t *tables, uint32_t n_samples)
{
    uint32_t frames = ta_mfe_num_frames(tables, n_samples);
    if (frames == 0u || tables->config.frame_stride == 0u) {
        return 0u;
    }
    return 1u + (frames - 1u) / tables->config.frame_stride;
}

uint32_t ta_mfe_row_values(const ta_mfe_tables_t *tables)
{
    if (tables == NULL) {
        return 0u;
    }
    return (uint32_t)tables->config.num_channels * stack_depth(&tables->config);
}

ta_mfe_status_t ta_mfe_process_samples(ta_mfe_t *fe, const int16_t *samples, uint32_t n, uint32_t *consumed,
                                       uint16_t *frame)
{
    const ta_mfe_tables_t *t;
    uint32_t take;
    if (fe == NULL || consumed == NULL || frame == NULL || (samples == NULL && n > 0u)) {
        return TA_MFE_ERR_NULL;
    }
    *consumed = 0u;
    if (fe->initialized != TA_MFE_MAGIC) {
        return TA_MFE_ERR_NOT_INIT;
    }
    t = fe->tables;
    take = t->window_samples - fe->buffered;
    if (take > n) {
        take = n;
    }
    if (take > 0u) {
        memcpy(&fe->input[fe->buffered], samples, take * sizeof(int16_t));
    }
    fe->buffered += take;
    *consumed = take;
    if (fe->buffered < t->window_samples) {
        return TA_MFE_NEED_MORE;
    }
    compute_frame(fe, frame);
    memmove(fe->input, &fe->input[t->step_samples], (t->window_samples - t->step_samples) * sizeof(int16_t));
    fe->buffered -= t->step_samples;
    fe->frames++;
    return TA_MFE_OK;
}

/* Writes the row of anchor frame `anchor` from the history; frames past `last` (the last frame that exists)
 * and before 0 repeat those ends, or are zeros with zero_padding. */
static void write_row(const ta_mfe_t *fe, uint32_t anchor, uint32_t last, uint16_t *row)
{
    const ta_mfe_config_t *cfg = &fe->tables->config;
    uint32_t channels = cfg->num_channels;
    uint32_t depth = stack_depth(cfg);
    uint32_t j;
    for (j = 0; j < depth; ++j) {
        int32_t index = (int32_t)anchor - (int32_t)cfg->left_context + (int32_t)j;
        uint16_t *dst = &row[j * channels];
        if ((index < 0 || index > (int32_t)last) && cfg->zero_padding != 0u) {
            memset(dst, 0, channels * sizeof(uint16_t));
            continue;
        }
        if (index < 0) {
            index = 0;
        } else if (index > (int32_t)last) {
            index = (int32_t)last;
        }
        memcpy(dst, &fe->history[((uint32_t)index % depth) * channels], channels * sizeof(uint16_t));
    }
}

ta_mfe_status_t ta_mfe_push(ta_mfe_t *fe, const int16_t *samples, uint32_t n, uint32_t *consumed, uint16_t *row)
{
    uint32_t used_total = 0;
    if (fe == NULL || consumed == NULL || row == NULL || (samples == NULL && n > 0u)) {
        return TA_MFE_ERR_NULL;
    }
    *consumed = 0u;
    if (fe->initialized != TA_MFE_MAGIC) {
        return TA_MFE_ERR_NOT_INIT;
    }
    while (used_total < n) {
        const ta_mfe_config_t *cfg = &fe->tables->config;
        uint32_t depth = stack_depth(cfg);
        uint32_t used = 0;
        uint32_t frame_index = fe->frames;
        uint16_t *slot = &fe->history[(frame_index % depth) * cfg->num_channels];
        ta_mfe_status_t st = ta_mfe_process_samples(fe, samples + used_total, n - used_total, &used, slot);
        used_total += used;
        if (st == TA_MFE_NEED_MORE) {
            break;
        }
        if (st != TA_MFE_OK) {
            *consumed = used_total;
            return st;
        }
        if (frame_index >= cfg->right_context) {
            uint32_t anchor = frame_index - cfg->right_context;
            if (anchor == fe->rows * (uint32_t)cfg->frame_stride) {
                write_row(fe, anchor, frame_index, row);
                fe->rows++;
                *consumed = used_total;
                return TA_MFE_OK;
            }
        }
    }
    *consumed = used_total;
    return TA_MFE_NEED_MORE;
}

ta_mfe_status_t ta_mfe_flush(ta_mfe_t *fe, uint16_t *row)
{
    uint32_t anchor;
    if (fe == NULL || row == NULL) {
        return TA_MFE_ERR_NULL;
    }
    if (fe->initialized != TA_MFE_MAGIC) {
        return TA_MFE_ERR_NOT_INIT;
    }
    anchor = fe->rows * (uint32_t)fe->tables->config.frame_stride;
    if (fe->frames == 0u || anchor >= fe->frames) {
        return TA_MFE_DONE;
    }
    write_row(fe, anchor, fe->frames - 1u, row);
    fe->rows++;
    return TA_MFE_OK;
}

ta_mfe_status_t ta_mfe_compute_clip(ta_mfe_t *fe, const int16_t *audio, uint32_t n_samples, uint16_t *rows,
                                    uint32_t capacity_rows, uint32_t *rows_out)
{
    ta_mfe_status_t st;
    uint32_t width;
    uint32_t pos = 0;
    uint32_t count = 0;
    if (fe == NULL || rows_out == NULL || (audio == NULL && n_samples > 0u) || (rows == NULL && capacity_rows > 0u)) {
        return TA_MFE_ERR_NULL;
    }
    *rows_out = 0u;
    st = ta_mfe_reset(fe);
    if (st != TA_MFE_OK) {
        return st;
    }
    width = ta_mfe_row_values(fe->tables);
    if (ta_mfe_num_rows(fe->tables, n_samples) > capacity_rows) {
        return TA_MFE_ERR_CAPACITY;
    }
    while (pos < n_samples) {
        uint32_t used = 0;
        st = ta_mfe_push(fe, &audio[pos], n_samples - pos, &used, &rows[count * width]);
        pos += used;
        if (st == TA_MFE_OK) {
            count++;
        } else if (st != TA_MFE_NEED_MORE) {
            return st;
        }
    }
    while (count < capacity_rows && ta_mfe_flush(fe, &rows[count * width]) == TA_MFE_OK) {
        count++;
    }
    *rows_out = count;
    return TA_MFE_OK;
}

const char *ta_mfe_status_str(ta_mfe_status_t status)
{
    switch (status) {
    case TA_MFE_OK: return "ok";
    case TA_MFE_NEED_MORE: return "need more samples";
    case TA_MFE_DONE: return "done";
    case TA_MFE_ERR_NULL: return "a required pointer is NULL";
    case TA_MFE_ERR_NOT_INIT: return "micro frontend not initialized";
    case TA_MFE_ERR_SAMPLE_RATE: return "sample_rate must be in 1000..192000 Hz";
    case TA_MFE_ERR_WINDOW:
        return "window must hold >= 4 samples and fit TA_MFE_MAX_FFT; step in 1..window samples";
    case TA_MFE_ERR_CHANNELS: return "num_channels must be in 1..TA_MFE_MAX_CHANNELS";
    case TA_MFE_ERR_BAND:
        return "band limits: need 0 <= lower < upper and a filterbank ending below the last FFT bin";
    case TA_MFE_ERR_NOISE: return "noise reduction: smoothing_bits <= 31, smoothings and min_signal_remaining in 0..1";
    case TA_MFE_ERR_PCAN: return "pcan: gain_bits / strength / offset or the derived shifts out of range";
    case TA_MFE_ERR_LOG: return "scale_shift must be <= 31";
    case TA_MFE_ERR_CONTEXT: return "context: 1 + left + right must be <= TA_MFE_MAX_STACK, frame_stride >= 1";
    case TA_MFE_ERR_OUTPUT: return "out_scale must be >= 1, out_type uint16 or float32, flags 0 or 1";
    case TA_MFE_ERR_CAPACITY: return "output buffer too small for the clip's rows";
    case TA_MFE_ERR_TABLES: return "micro frontend tables of another layout or inconsistent with their config";
    case TA_MFE_ERR_CLIP: return "clip_samples is shorter than one window";
    }
    return "unknown status";
}
