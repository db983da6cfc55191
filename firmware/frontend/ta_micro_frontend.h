/*
 * The micro frontend (mfe): TensorFlow's fixed-point audio "microfrontend" (the `audio_microfrontend` op,
 * TFLM's micro_speech and the deployed microWakeWord models), re-implemented in C99, integer-only per
 * frame, bit-exact with the op:
 *
 *   int16 PCM -> frames of window_size ms every window_step ms -> Hann window (Q12) -> int16 FFT with
 *   dynamic input scaling (ta_fft_i16.h) -> |X|^2 -> triangular mel filterbank with weights and
 *   "unweights" (Q12), summed in 64 bits -> integer square root, scaled back -> noise reduction (per-channel
 *   low-pass noise estimate subtracted, even/odd smoothing, floor) -> PCAN gain control (gain from a
 *   piecewise-quadratic lookup of the noise estimate) -> integer log (Q(scale_shift)) -> uint16 per channel
 *   -> optional stacking of left/right context frames, frame stride.
 *
 * Floating point is used only to BUILD the integer tables (ta_micro_frontend_tables.c: window, twiddles,
 * filterbank weights, smoothing coefficients, PCAN lookup). The per-frame code (this header's push/flush/
 * compute functions, ta_micro_frontend.c, ta_fft_i16.c) has no float: a device without an FPU (Cortex-M0+,
 * RP2040) links const tables generated on the host (tinyaudio.frontend micro_tables_to_c) and calls
 * ta_mfe_init_const().
 *
 * Streaming:
 *
 *     static ta_mfe_t fe;
 *     ta_mfe_init_const(&fe, &ta_model_micro_frontend_tables);
 *     for (;;) {
 *         n = mic_read(pcm, sizeof pcm / 2);                 // any number of int16 samples
 *         for (const int16_t *p = pcm; n > 0;) {
 *             uint32_t used;
 *             ta_mfe_status_t st = ta_mfe_push(&fe, p, n, &used, row);
 *             p += used; n -= used;
 *             if (st == TA_MFE_OK) { consume(row); }          // ta_mfe_row_values() uint16 values
 *         }
 *     }
 *
 * As the op, samples are consumed only up to the end of the next window: a push returns after each frame
 * with *consumed telling how many samples it took, and the caller pushes the rest again.
 * ta_mfe_compute_clip() runs exactly that loop (then ta_mfe_flush() for the right context), so a clip
 * pushed in any pieces gives exactly the rows of the whole clip.
 *
 * Output values are the op's before its out_scale/out_type: raw uint16. The op's uint16 output is
 * value / out_scale (integer division); its float output is (float)value / out_scale.
 */
#ifndef TA_MICRO_FRONTEND_H
#define TA_MICRO_FRONTEND_H

#include <stddef.h>
#include <stdint.h>

#include "ta_fft_i16.h"

#ifdef __cplusplus
extern "C" {
#endif

/* Compile-time limits: they size the state (no heap). A firmware build that knows its configuration can
 * shrink RAM, e.g. -DTA_MFE_MAX_FFT=512u -DTA_MFE_MAX_CHANNELS=40u -DTA_MFE_MAX_STACK=1u. */
#ifndef TA_MFE_MAX_FFT
#define TA_MFE_MAX_FFT 1024u /* largest FFT: window_size_ms * sample_rate / 1000 <= this */
#endif
#ifndef TA_MFE_MAX_CHANNELS
#define TA_MFE_MAX_CHANNELS 128u
#endif
#ifndef TA_MFE_MAX_STACK
#define TA_MFE_MAX_STACK 16u /* 1 + left_context + right_context */
#endif

#define TA_MFE_VERSION 1u
#define TA_MFE_MAGIC 0x5441464Du       /* "TAFM" */
#define TA_MFE_TABLES_VERSION 1u       /* layout of ta_mfe_tables_t; generated tables carry it */
#define TA_MFE_PCAN_LUT_SIZE 125u      /* 4 * 32 - 3: x = 0, 1, then 3 coefficients per octave 2..32 */
#define TA_MFE_WINDOW_BITS 12u         /* Q of the window coefficients */
#define TA_MFE_FILTERBANK_BITS 12u     /* Q of the filterbank weights */
#define TA_MFE_NOISE_REDUCTION_BITS 14u/* Q of the smoothing coefficients */
#define TA_MFE_PCAN_SNR_BITS 12u
#define TA_MFE_PCAN_OUTPUT_BITS 6u

typedef enum {
    TA_MFE_OK = 0,            /* push: one output row written; flush: one remaining row written */
    TA_MFE_NEED_MORE = 1,     /* push: every sample consumed, no row yet */
    TA_MFE_DONE = 2,          /* flush: no row left */
    TA_MFE_ERR_NULL = -1,
    TA_MFE_ERR_NOT_INIT = -2,
    TA_MFE_ERR_SAMPLE_RATE = -3,  /* outside 1000..192000 Hz */
    TA_MFE_ERR_WINDOW = -4,       /* window of < 4 samples, FFT above TA_MFE_MAX_FFT, or step not in 1..size */
    TA_MFE_ERR_CHANNELS = -5,     /* 0 or > TA_MFE_MAX_CHANNELS */
    TA_MFE_ERR_BAND = -6,         /* need 0 <= lower < upper; the filterbank must end below Nyquist's bin */
    TA_MFE_ERR_NOISE = -7,        /* smoothing_bits > 31, or a smoothing/min_signal_remaining not in 0..1 */
    TA_MFE_ERR_PCAN = -8,         /* gain_bits / strength / offset out of range, or a shift outside 0..31/63 */
    TA_MFE_ERR_LOG = -9,          /* scale_shift > 31 */
    TA_MFE_ERR_CONTEXT = -10,     /* 1 + left + right > TA_MFE_MAX_STACK, or frame_stride 0 */
    TA_MFE_ERR_OUTPUT = -11,      /* out_scale 0, unknown out_type, or a flag not 0/1 */
    TA_MFE_ERR_CAPACITY = -12,    /* output buffer too small */
    TA_MFE_ERR_TABLES = -13,      /* const tables of another layout version, or inconsistent */
    TA_MFE_ERR_CLIP = -14         /* clip_samples shorter than one window */
} ta_mfe_status_t;

typedef enum { TA_MFE_OUT_UINT16 = 0, TA_MFE_OUT_FLOAT32 = 1 } ta_mfe_out_type_t;

/* The op's attributes, one for one (names of tensorflow.lite.experimental.microfrontend's
 * audio_microfrontend), plus clip_samples. Floats are only read by the table builder. Mirrors
 * tinyaudio.frontend.MicroFrontendConfig (Python) field for field. */
typedef struct {
    uint32_t sample_rate_hz;       /* sample_rate */
    uint32_t clip_samples;         /* samples per clip (whole-clip use; fixes the row count) */
    uint16_t window_size_ms;       /* window_size: window of window_size_ms * sample_rate / 1000 samples */
    uint16_t window_step_ms;       /* window_step */
    uint16_t num_channels;         /* num_channels */
    float upper_band_limit_hz;     /* upper_band_limit */
    float lower_band_limit_hz;     /* lower_band_limit */
    uint8_t smoothing_bits;        /* smoothing_bits */
    float even_smoothing;          /* even_smoothing */
    float odd_smoothing;           /* odd_smoothing */
    float min_signal_remaining;    /* min_signal_remaining */
    uint8_t enable_pcan;           /* enable_pcan */
    float pcan_strength;           /* pcan_strength */
    float pcan_offset;             /* pcan_offset */
    uint8_t gain_bits;             /* gain_bits */
    uint8_t enable_log;            /* enable_log */
    uint8_t scale_shift;           /* scale_shift */
    uint16_t left_context;         /* left_context */
    uint16_t right_context;        /* right_context */
    uint16_t frame_stride;         /* frame_stride */
    uint8_t zero_padding;          /* zero_padding */
    uint16_t out_scale;            /* out_scale (applied by the consumer, see above) */
    uint8_t out_type;              /* ta_mfe_out_type_t (applied by the consumer) */
} ta_mfe_config_t;

/* Every integer the per-frame code reads, as views. Either const, generated at build time from the host's
 * ta_mfe_build_tables(), or built at run time into a ta_mfe_table_storage_t. */
typedef struct {
    uint32_t version;              /* TA_MFE_TABLES_VERSION */
    ta_mfe_config_t config;        /* the configuration the tables were built for */
    uint16_t window_samples;       /* window_size_ms * sample_rate / 1000 */
    uint16_t step_samples;         /* window_step_ms * sample_rate / 1000 */
    const int16_t *window;         /* window_samples Hann values, Q12 */
    ta_rfft_i16_t fft;             /* fft.n = smallest power of two >= window_samples */
    /* Filterbank: num_channels + 1 bands of consecutive FFT bins; output channel c sums
     * weights * energy over band c + 1 and unweights * energy over band c. */
    uint16_t num_weights;          /* sum of band_width */
    const uint16_t *band_start;    /* num_channels + 1 first bins */
    const uint16_t *band_width;    /* num_channels + 1 bin counts */
    const int16_t *weights;        /* num_weights, band after band, Q12 */
    const int16_t *unweights;      /* num_weights, band after band, Q12 */
    /* Noise reduction (Q14) */
    uint16_t even_smoothing;
    uint16_t odd_smoothing;
    uint16_t min_signal_remaining;
    /* PCAN gain control */
    int16_t snr_shift;             /* gain_bits - correction_bits - 12, in 0..63 */
    const int16_t *pcan_lut;       /* TA_MFE_PCAN_LUT_SIZE values, or NULL when PCAN is off */
    /* Log scale */
    int16_t correction_bits;       /* log2(fft.n) - 6: energy back to the scale of a 64-point FFT */
} ta_mfe_tables_t;

/* RAM for tables built at run time, sized by the limits. */
typedef struct {
    ta_mfe_tables_t tables;
    int16_t window[TA_MFE_MAX_FFT];
    ta_cpx_i16_t twiddles[TA_MFE_MAX_FFT / 2u];
    ta_cpx_i16_t super_twiddles[TA_MFE_MAX_FFT / 4u];
    uint16_t band_start[TA_MFE_MAX_CHANNELS + 1u];
    uint16_t band_width[TA_MFE_MAX_CHANNELS + 1u];
    int16_t weights[TA_MFE_MAX_FFT / 2u + 1u];
    int16_t unweights[TA_MFE_MAX_FFT / 2u + 1u];
    int16_t pcan_lut[TA_MFE_PCAN_LUT_SIZE];
} ta_mfe_table_storage_t;

/* The streaming state. Declare it static (or global); never on a small stack. */
typedef struct {
    const ta_mfe_tables_t *tables;
    uint32_t initialized;          /* TA_MFE_MAGIC after a successful init */
    uint32_t buffered;             /* samples waiting in input[] */
    uint32_t frames;               /* frames computed since the last reset */
    uint32_t rows;                 /* output rows emitted since the last reset */
    int16_t input[TA_MFE_MAX_FFT];            /* the current window's samples */
    int16_t fft_in[TA_MFE_MAX_FFT];           /* windowed, scaled, zero-padded */
    ta_cpx_i16_t fft_work[TA_MFE_MAX_FFT / 2u];
    ta_cpx_i16_t spectrum[TA_MFE_MAX_FFT / 2u + 1u];
    uint32_t noise_estimate[TA_MFE_MAX_CHANNELS];
    uint32_t signal[TA_MFE_MAX_CHANNELS];
    uint16_t history[TA_MFE_MAX_STACK * TA_MFE_MAX_CHANNELS]; /* ring of the last frames, for context */
} ta_mfe_t;

/* ---- table building (ta_micro_frontend_tables.c: floating point, libm) ---------------------------- */

/* Checks every field of cfg (including the float ones) against the op's and the limits' constraints. */
ta_mfe_status_t ta_mfe_config_check(const ta_mfe_config_t *cfg);

/* Validates cfg and builds every table into storage (storage->tables), with the op's float formulas. */
ta_mfe_status_t ta_mfe_build_tables(ta_mfe_table_storage_t *storage, const ta_mfe_config_t *cfg);

/* Hosts and FPU boards: builds the tables into storage (which must outlive fe), then ta_mfe_init_const(). */
ta_mfe_status_t ta_mfe_init(ta_mfe_t *fe, const ta_mfe_config_t *cfg, ta_mfe_table_storage_t *storage);

/* ---- per frame (ta_micro_frontend.c: integer only) ------------------------------------------------- */

/* Devices: no table building, no float. Checks the tables' layout version and the integer fields they and
 * the limits depend on (else TA_MFE_ERR_TABLES / the field's error), keeps a pointer to tables (which must
 * outlive fe), then resets. */
ta_mfe_status_t ta_mfe_init_const(ta_mfe_t *fe, const ta_mfe_tables_t *tables);

/* Starts a new stream or clip: empties the window, the noise estimates and the context history. */
ta_mfe_status_t ta_mfe_reset(ta_mfe_t *fe);

/* Frames the op computes from n samples: 0 below one window, else 1 + (n - window) / step. */
uint32_t ta_mfe_num_frames(const ta_mfe_tables_t *tables, uint32_t n_samples);

/* Output rows the op gives for n samples: frames sampled every frame_stride (ceil(frames / stride)). */
uint32_t ta_mfe_num_rows(const ta_mfe_tables_t *tables, uint32_t n_samples);

/* Values per output row: num_channels * (1 + left_context + right_context). */
uint32_t ta_mfe_row_values(const ta_mfe_tables_t *tables);

/* One frame, as TFLM's FrontendProcessSamples: takes up to the samples that complete the current window
 * (*consumed says how many), and when it completes, writes num_channels uint16 values to frame and returns
 * TA_MFE_OK; else TA_MFE_NEED_MORE (every sample consumed). No context stacking. */
ta_mfe_status_t ta_mfe_process_samples(ta_mfe_t *fe, const int16_t *samples, uint32_t n, uint32_t *consumed,
                                       uint16_t *frame);

/* The op's output rows, streaming: as ta_mfe_process_samples(), and each frame goes through the context
 * stacking. TA_MFE_OK when a row (ta_mfe_row_values() values) was written: the row of anchor frame a is
 * ready once frame a + right_context exists. */
ta_mfe_status_t ta_mfe_push(ta_mfe_t *fe, const int16_t *samples, uint32_t n, uint32_t *consumed,
                            uint16_t *row);

/* End of a clip: the rows whose right context runs past the last frame (repeating it, or zeros with
 * zero_padding), one per call (TA_MFE_OK), then TA_MFE_DONE. */
ta_mfe_status_t ta_mfe_flush(ta_mfe_t *fe, uint16_t *row);

/* Whole clip, as the op: reset, push every sample, flush. rows receives *rows_out rows of
 * ta_mfe_row_values() values, row-major. */
ta_mfe_status_t ta_mfe_compute_clip(ta_mfe_t *fe, const int16_t *audio, uint32_t n_samples, uint16_t *rows,
                                    uint32_t capacity_rows, uint32_t *rows_out);

/* A short English name of a status. */
const char *ta_mfe_status_str(ta_mfe_status_t status);

#ifdef __cplusplus
}
#endif

#endif /* TA_MICRO_FRONTEND_H */
