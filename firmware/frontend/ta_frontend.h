/*
 * tinyaudio audio frontend (C99, float32, no heap): PCM -> framing -> Hann window -> real FFT ->
 * magnitude or power spectrum -> mel filterbank -> log -> optional DCT-II (MFCC).
 *
 * The one implementation: the firmware compiles these files, and Python calls the same code through
 * the tinyaudio._frontend extension, so features used for training are the features on the device.
 *
 * Usage, streaming (firmware; one hop of PCM at a time, as a microphone driver delivers it):
 *
 *     static ta_frontend_t fe;                         // buffers only (~6 KB for fft 512, 40 mel bins)
 *     // tables generated at build time (const, in flash) by tinyaudio compile / tables_to_c():
 *     ta_frontend_init_const(&fe, &ta_model_frontend, &ta_model_frontend_tables);
 *     for (;;) {
 *         read_pcm(hop, fe.config.hop_length);
 *         if (ta_frontend_push_hop(&fe, hop, frame) == TA_FRONTEND_OK) { consume(frame); }
 *     }
 *
 * Without generated tables, ta_frontend_init() builds them (libm, double precision) into a caller's
 * ta_frontend_table_storage_t; the generated ones are the output of this same builder run on the
 * host, so both paths compute bit-identical features.
 *
 * Usage, whole clip (host tools, tests):
 *
 *     ta_frontend_compute_clip(&fe, audio, n, features, capacity_frames, &frames);
 *
 * Both paths run the same per-frame code on the same buffered samples, so a clip pushed hop by hop
 * (then flushed with ta_frontend_flush()) gives exactly the frames of ta_frontend_compute_clip().
 *
 * Clip normalization (config.normalize != NONE, e.g. the mlperf-mfcc preset) scales the clip by
 * 1 / max sample, which is known only once the whole clip is there. compute_clip() measures it;
 * a streaming caller sets the gain itself with ta_frontend_set_gain() (e.g. from the previous window,
 * or after buffering the clip with ta_frontend_clip_gain()); the default gain is 1.
 *
 * Framing: frame i covers input samples [i*hop - pad, i*hop - pad + frame_length), samples outside the
 * clip being 0, where pad = 0 (tf.signal.stft) or, with center = 1, pad = fft/2 - (fft - frame)/2
 * (librosa center=True, pad_mode="constant"). The windowed frame is zero-padded to fft_length at the
 * end; magnitudes do not depend on where the frame sits in the FFT buffer.
 */
#ifndef TA_FRONTEND_H
#define TA_FRONTEND_H

#include <stdint.h>

#include "ta_fft.h"
#include "ta_frontend_types.h"
#include "ta_mel.h"
#include "ta_mfcc.h"

#ifdef __cplusplus
extern "C" {
#endif

#define TA_FRONTEND_VERSION 1u
#define TA_FRONTEND_MAGIC 0x54414645u /* "TAFE" */
#define TA_FRONTEND_TABLES_VERSION 2u  /* layout of ta_frontend_tables_t; generated tables carry it */

/* Every table the per-frame code reads, as views (pointers to arrays sized exactly for `config`).
 * Either const, generated at build time (tinyaudio.frontend.tables_to_c: the host runs
 * ta_frontend_build_tables() and prints the numbers), or built at run time into a
 * ta_frontend_table_storage_t. */
typedef struct {
    uint32_t version;             /* TA_FRONTEND_TABLES_VERSION */
    ta_frontend_config_t config;  /* the configuration the tables were built for */
    const float *window;          /* frame_length Hann values */
    ta_rfft_t fft;                /* twiddles, bit-reversal swaps */
    ta_mel_bank_t mel;            /* sparse triangles */
    ta_mfcc_t dct;                /* DCT-II cosine table and scales */
} ta_frontend_tables_t;

/* RAM for tables built at run time, sized by the compile-time limits. */
typedef struct {
    ta_frontend_tables_t tables; /* views into the arrays below */
    float window[TA_FRONTEND_MAX_FFT];
    float fft_cos[TA_FRONTEND_MAX_FFT / 2u];
    float fft_sin[TA_FRONTEND_MAX_FFT / 2u];
    uint16_t fft_swaps[TA_FRONTEND_MAX_FFT / 2u];
    uint16_t mel_first_bin[TA_FRONTEND_MAX_MEL_BINS];
    uint16_t mel_num_weights[TA_FRONTEND_MAX_MEL_BINS];
    float mel_weights[TA_MEL_MAX_WEIGHTS];
    float dct_cos[4u * TA_FRONTEND_MAX_MEL_BINS];
} ta_frontend_table_storage_t;

/* The streaming state: buffers sized at compile time, tables by reference. Declare it static (or
 * global); never on a small stack. */
typedef struct {
    ta_frontend_config_t config;
    const ta_frontend_tables_t *tables;
    uint32_t initialized;    /* TA_FRONTEND_MAGIC after a successful init */
    float gain;              /* applied to every input sample (clip normalization) */
    uint32_t samples_pushed; /* real input samples since the last reset */
    uint32_t frames_emitted; /* frames written since the last reset */
    uint32_t buffered;       /* samples waiting in input[] (including the center padding) */
    float input[2u * TA_FRONTEND_MAX_FFT];
    float work[TA_FRONTEND_MAX_FFT];      /* FFT buffer, then the spectrum */
    float mel[TA_FRONTEND_MAX_MEL_BINS];  /* mel energies, then their logs */
} ta_frontend_t;

#define TA_FRONTEND_STATE_BYTES ((uint32_t)sizeof(ta_frontend_t))
#define TA_FRONTEND_TABLE_STORAGE_BYTES ((uint32_t)sizeof(ta_frontend_table_storage_t))

/* Checks every field of cfg against the limits above; TA_FRONTEND_OK or the first problem found. */
ta_frontend_status_t ta_frontend_config_check(const ta_frontend_config_t *cfg);

/* Frames in a clip of n_samples (n_samples = cfg->clip_samples for the configured clip). 0 if none. */
uint32_t ta_frontend_num_frames(const ta_frontend_config_t *cfg, uint32_t n_samples);

/* Values per frame: num_coeffs with a DCT, else num_mel_bins. */
uint16_t ta_frontend_num_features(const ta_frontend_config_t *cfg);

/* Validates cfg and builds its window/FFT/mel/DCT tables into storage (storage->tables). */
ta_frontend_status_t ta_frontend_build_tables(ta_frontend_table_storage_t *storage, const ta_frontend_config_t *cfg);

/* Hosts and tools: builds the tables into storage (which must outlive fe), then as
 * ta_frontend_init_const(fe, cfg, &storage->tables). */
ta_frontend_status_t ta_frontend_init(ta_frontend_t *fe, const ta_frontend_config_t *cfg,
                                      ta_frontend_table_storage_t *storage);

/* Devices: no table building. Validates cfg, checks that tables has this layout version and was built
 * for cfg (every field the tables depend on; else TA_FRONTEND_ERR_TABLES), copies cfg, keeps a pointer
 * to tables (which must outlive fe), gain = 1, then resets. */
ta_frontend_status_t ta_frontend_init_const(ta_frontend_t *fe, const ta_frontend_config_t *cfg,
                                            const ta_frontend_tables_t *tables);

/* Starts a new stream/clip: empties the sample buffer (refilled with the center padding) and the
 * counters. Keeps tables and gain. */
ta_frontend_status_t ta_frontend_reset(ta_frontend_t *fe);

/* Gain applied to every pushed sample from now on (finite, > 0). */
ta_frontend_status_t ta_frontend_set_gain(ta_frontend_t *fe, float gain);

/* The gain cfg->normalize asks for on this clip: 1 / max (or max |x|), or 1 when that is 0 or
 * normalize is NONE. */
float ta_frontend_clip_gain(const ta_frontend_config_t *cfg, const float *audio, uint32_t n_samples);

/* Pushes exactly config.hop_length samples (float, nominally in [-1, 1]). Writes one frame of
 * ta_frontend_num_features() values to features and returns TA_FRONTEND_OK when a frame completed,
 * else returns TA_FRONTEND_NEED_MORE. */
ta_frontend_status_t ta_frontend_push_hop(ta_frontend_t *fe, const float *hop, float *features);

/* Same for int16 PCM (scaled by 1/32768, then by the gain). */
ta_frontend_status_t ta_frontend_push_hop_i16(ta_frontend_t *fe, const int16_t *hop, float *features);

/* End of a clip: feeds zeros until the clip's frame count (ta_frontend_num_frames of the samples
 * pushed) is reached; one frame per call (TA_FRONTEND_OK), then TA_FRONTEND_DONE. */
ta_frontend_status_t ta_frontend_flush(ta_frontend_t *fe, float *features);

/* Whole clip: reset, gain from cfg->normalize, push the clip hop by hop (the last partial hop
 * zero-padded), flush. features receives *frames_out frames x num_features values, row-major.
 * The gain set before the call is restored afterwards. */
ta_frontend_status_t ta_frontend_compute_clip(ta_frontend_t *fe, const float *audio, uint32_t n_samples,
                                              float *features, uint32_t capacity_frames,
                                              uint32_t *frames_out);

/* A short English name of a status ("fft_length must be a power of two ..."). */
const char *ta_frontend_status_str(ta_frontend_status_t status);

#ifdef __cplusplus
}
#endif

#endif /* TA_FRONTEND_H */
