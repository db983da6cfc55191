/*
 * tinyaudio audio frontend: configuration, limits and status codes.
 *
 * Shared by every frontend source file; users include ta_frontend.h instead.
 * The configuration mirrors tinyaudio.frontend.FrontendConfig (Python) field for field;
 * tinyaudio.frontend.config_to_c() prints an initializer of ta_frontend_config_t.
 */
#ifndef TA_FRONTEND_TYPES_H
#define TA_FRONTEND_TYPES_H

#include <stddef.h>
#include <stdint.h>

#ifdef __cplusplus
extern "C" {
#endif

/* Compile-time limits: they size the state struct (no heap). A firmware build that knows its
 * configuration can shrink RAM with e.g. -DTA_FRONTEND_MAX_FFT=512 -DTA_FRONTEND_MAX_MEL_BINS=40. */
#ifndef TA_FRONTEND_MAX_FFT
#define TA_FRONTEND_MAX_FFT 1024u /* largest FFT length (a power of two, >= 2) */
#endif
#ifndef TA_FRONTEND_MAX_MEL_BINS
#define TA_FRONTEND_MAX_MEL_BINS 128u
#endif

#define TA_FRONTEND_MAX_SPECTRUM_BINS (TA_FRONTEND_MAX_FFT / 2u + 1u)

/* Status codes. Negative values are errors; ta_frontend_status_str() names them. */
typedef enum {
    TA_FRONTEND_OK = 0,             /* success; for a push: one feature frame was written */
    TA_FRONTEND_NEED_MORE = 1,      /* push: samples consumed, no frame complete yet */
    TA_FRONTEND_DONE = 2,           /* flush: every frame of the clip has been emitted */
    TA_FRONTEND_ERR_NULL = -1,      /* a required pointer is NULL */
    TA_FRONTEND_ERR_NOT_INIT = -2,  /* state used before a successful ta_frontend_init() */
    TA_FRONTEND_ERR_SAMPLE_RATE = -3,
    TA_FRONTEND_ERR_FFT_LENGTH = -4,   /* not a power of two in [2, TA_FRONTEND_MAX_FFT] */
    TA_FRONTEND_ERR_FRAME_LENGTH = -5, /* 0 or > fft_length */
    TA_FRONTEND_ERR_HOP_LENGTH = -6,   /* 0 or > frame_length */
    TA_FRONTEND_ERR_CLIP_LENGTH = -7,  /* too short for one frame */
    TA_FRONTEND_ERR_MEL_BINS = -8,     /* 0 or > TA_FRONTEND_MAX_MEL_BINS */
    TA_FRONTEND_ERR_MEL_RANGE = -9,    /* need 0 <= fmin < fmax <= sample_rate / 2 */
    TA_FRONTEND_ERR_COEFFS = -10,      /* DCT: 0 or > num_mel_bins coefficients */
    TA_FRONTEND_ERR_LOG = -11,         /* log of a value that can be 0: floor and offset both <= 0 */
    TA_FRONTEND_ERR_ENUM = -12,        /* an enum field holds an unknown value */
    TA_FRONTEND_ERR_CAPACITY = -13,    /* output buffer too small for the clip's frames */
    TA_FRONTEND_ERR_GAIN = -14,        /* gain not finite or <= 0 */
    TA_FRONTEND_ERR_TABLES = -15       /* const tables of another version or built for another config */
} ta_frontend_status_t;

/* Hann window 0.5 - 0.5 cos(2 pi n / D): periodic D = N (scipy get_window('hann'), librosa; the same
 * as tf.signal.hann_window for even N: TF's periodic window of odd N is its symmetric one),
 * symmetric D = N - 1 (numpy.hanning). A 1-sample window is 1. */
typedef enum { TA_WINDOW_HANN_PERIODIC = 0, TA_WINDOW_HANN_SYMMETRIC = 1 } ta_window_t;

typedef enum { TA_SPECTRUM_MAGNITUDE = 0, TA_SPECTRUM_POWER = 1 } ta_spectrum_t;

/* Mel scale: HTK 2595 log10(1 + f/700); Slaney (Auditory Toolbox, librosa htk=False): linear
 * below 1 kHz, logarithmic above. */
typedef enum { TA_MEL_SCALE_HTK = 0, TA_MEL_SCALE_SLANEY = 1 } ta_mel_scale_t;

/* Triangle construction: TF = tf.signal.linear_to_mel_weight_matrix (triangles in mel, DC row
 * zero); LIBROSA = librosa.filters.mel (triangles in Hz between mel-spaced edges). */
typedef enum { TA_MEL_WEIGHTS_TF = 0, TA_MEL_WEIGHTS_LIBROSA = 1 } ta_mel_weights_t;

/* Triangle normalization: none (peak 1) or Slaney area normalization 2 / (f_hi - f_lo). */
typedef enum { TA_MEL_NORM_NONE = 0, TA_MEL_NORM_SLANEY = 1 } ta_mel_norm_t;

/* Compression of mel energies m: y = LN: ln(max(m, floor) + offset) (TF: log(m + 1e-6));
 * DB: 10 log10(max(m, floor) + offset) (librosa power_to_db with ref=1, top_db=None);
 * NONE: m itself. */
typedef enum { TA_LOG_NONE = 0, TA_LOG_LN = 1, TA_LOG_DB = 2 } ta_log_t;

/* DCT-II over mel bins: NONE (log-mel output), TF = tf.signal.mfccs_from_log_mel_spectrograms
 * (2 sum_n x[n] cos(pi k (2n+1) / 2M) / sqrt(2 M) for every k), ORTHO = scipy dct(type=2, norm='ortho') as librosa. */
typedef enum { TA_DCT_NONE = 0, TA_DCT_TF = 1, TA_DCT_ORTHO = 2 } ta_dct_type_t;

/* Clip normalization before framing (needs the whole clip, see ta_frontend_set_gain()):
 * MAX divides by the largest sample value as MLPerf Tiny's tf.reduce_max (magnitude spectra do not
 * depend on its sign); MAX_ABS divides by the largest |sample|. A clip whose divisor is 0 is left as is. */
typedef enum { TA_NORMALIZE_NONE = 0, TA_NORMALIZE_MAX = 1, TA_NORMALIZE_MAX_ABS = 2 } ta_normalize_t;

/* One frontend configuration. Enum-valued fields are stored as uint8_t so the layout does not
 * depend on the compiler's enum size. */
typedef struct {
    uint32_t sample_rate_hz; /* e.g. 16000 */
    uint32_t clip_samples;   /* samples per clip (whole-clip use); fixes the frame count */
    uint16_t frame_length;   /* window length in samples, <= fft_length */
    uint16_t hop_length;     /* samples between frame starts, <= frame_length */
    uint16_t fft_length;     /* power of two in [2, TA_FRONTEND_MAX_FFT]; frame zero-padded to it */
    uint8_t window;          /* ta_window_t */
    uint8_t center;          /* 1: librosa center=True with zero padding of fft_length/2 each side */
    uint8_t spectrum;        /* ta_spectrum_t */
    uint8_t mel_scale;       /* ta_mel_scale_t */
    uint8_t mel_weights;     /* ta_mel_weights_t */
    uint8_t mel_norm;        /* ta_mel_norm_t */
    uint16_t num_mel_bins;   /* <= TA_FRONTEND_MAX_MEL_BINS */
    float fmin_hz;
    float fmax_hz;
    uint8_t log_type;        /* ta_log_t */
    float log_floor;         /* y = log(max(m, log_floor) + log_offset) */
    float log_offset;
    uint8_t dct;             /* ta_dct_type_t */
    uint16_t num_coeffs;     /* DCT coefficients kept (first ones); ignored when dct == NONE */
    uint8_t normalize;       /* ta_normalize_t */
} ta_frontend_config_t;

#ifdef __cplusplus
}
#endif

#endif /* TA_FRONTEND_TYPES_H */
