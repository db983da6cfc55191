/* The platform-free application core: PCM in, one hop at a time; scores and a label out.
 *
 *   PCM hop -> C frontend (firmware/frontend) -> one feature frame -> quantized with the model's
 *   input scale/zero point into a sliding window of frames -> compiled model (model.h) -> scores
 *
 * The core knows nothing of files, microphones or consoles: the caller (a platform's main loop,
 * firmware/app/ta_app_main.c) feeds it samples and forwards its results. No heap: the caller owns the
 * one ta_app_t (declare it static; it holds the frontend state).
 *
 * Two ways to use it:
 *  - clip classification (what Python evaluates): ta_app_begin_clip(), push the clip's samples hop by
 *    hop, ta_app_end_clip(). The window is complete exactly when the clip's last frame is in; the
 *    result is that of the whole clip.
 *  - streaming (a microphone): ta_app_begin_stream(), then push hops forever; a result comes every
 *    `stride_frames` frames once the first window is full.
 */
#ifndef TA_APP_H
#define TA_APP_H

#include <stddef.h>
#include <stdint.h>

#include "model.h"
#include "ta_status.h"

#if !defined(TA_MODEL_HAS_FRONTEND) || !TA_MODEL_HAS_FRONTEND
#error "the application core needs a model compiled with a frontend (tinyaudio compile --frontend ...)"
#endif

/* Which frontend the model was compiled with: the float one (ta_frontend.h, float features quantized with
 * the model's input scale) or the fixed-point micro frontend (ta_micro_frontend.h: TF audio_microfrontend,
 * uint16 values turned into int8 with the integer rule TA_MODEL_FEATURE_NUM / _DEN / _ZERO_POINT). */
#if defined(TA_MODEL_FRONTEND_MICRO) && TA_MODEL_FRONTEND_MICRO
#define TA_APP_MICRO_FRONTEND 1
#include "ta_micro_frontend.h"
#define TA_APP_MAX_FEATURES (TA_MFE_MAX_STACK * TA_MFE_MAX_CHANNELS)
#define TA_APP_MAX_HOP TA_MFE_MAX_FFT
typedef ta_mfe_t ta_app_frontend_t;
typedef uint16_t ta_app_feature_t;
#else
#define TA_APP_MICRO_FRONTEND 0
#include "ta_frontend.h"
#define TA_APP_MAX_FEATURES TA_FRONTEND_MAX_MEL_BINS
#define TA_APP_MAX_HOP TA_FRONTEND_MAX_FFT
typedef ta_frontend_t ta_app_frontend_t;
typedef float ta_app_feature_t;
#endif

typedef struct {
    uint8_t ready;                 /* 1 when this call produced a result */
    uint32_t index;                /* inferences since ta_app_init() */
    int32_t label;                 /* argmax of scores (first one on ties, as numpy.argmax) */
    const int8_t *scores;          /* TA_MODEL_OUTPUT_BYTES raw int8 scores (valid until the next push) */
} ta_app_result_t;

typedef struct {
    ta_app_frontend_t frontend;
    uint32_t num_frames;           /* frames in the model's input window */
    uint32_t num_features;         /* values per frame */
    uint32_t stride_frames;        /* streaming: frames between inferences */
    uint32_t frames_in_window;     /* valid frames in window[] (saturates at num_frames) */
    uint32_t next_row;             /* ring position of the next frame */
    uint32_t frames_since_result;
    uint32_t inferences;
    uint8_t clip_mode;
    uint8_t initialized;
    ta_app_feature_t frame[TA_APP_MAX_FEATURES]; /* one feature frame (a row of the micro frontend) */
#if TA_APP_MICRO_FRONTEND
    int16_t pcm[TA_APP_MAX_HOP];            /* a float hop as int16 PCM */
#endif
    int8_t window[TA_MODEL_INPUT_BYTES];    /* quantized frames, ring buffer of rows */
} ta_app_t;

/* Initializes the frontend with the model's configuration and the model itself; checks that the
 * model's input holds exactly num_frames x num_features int8 values. */
ta_status_t ta_app_init(ta_app_t *app);

/* Samples per hop the core expects (the frontend's hop_length, or the micro frontend's window step). */
uint32_t ta_app_hop_samples(const ta_app_t *app);

/* Samples per clip of the model's frontend (its clip_samples). */
uint32_t ta_app_clip_samples(void);

/* 1 when the model's frontend normalizes whole clips (so a clip must be buffered before its first hop). */
int ta_app_clip_normalizes(void);

/* The gain a buffered clip gets (ta_frontend_clip_gain(); 1 when the frontend does not normalize). */
float ta_app_clip_gain(const float *clip, uint32_t n_samples);

/* Clip mode. gain multiplies every sample (1.0f, or ta_app_clip_gain() of the whole clip when the
 * model's frontend normalizes clips; the micro frontend has no gain: it must be 1). */
ta_status_t ta_app_begin_clip(ta_app_t *app, float gain);

/* Streaming mode: a result every stride_frames frames (>= 1) once num_frames frames have arrived. */
ta_status_t ta_app_begin_stream(ta_app_t *app, uint32_t stride_frames);

/* Pushes exactly ta_app_hop_samples() samples. result->ready tells whether an inference ran. */
ta_status_t ta_app_push_hop(ta_app_t *app, const float *hop, ta_app_result_t *result);

/* The same for int16 PCM as a microphone driver delivers it (sample / 32768 for the float frontend); with the
 * micro frontend this path uses no floating point at all (FPU-less cores). */
ta_status_t ta_app_push_hop_i16(ta_app_t *app, const int16_t *hop, ta_app_result_t *result);

/* Clip mode: flushes the frontend's last frames and runs the model on the clip's window (its first
 * num_frames frames, as ta_frontend_compute_clip). TA_ERR_STATE if the clip gave fewer frames. */
ta_status_t ta_app_end_clip(ta_app_t *app, ta_app_result_t *result);

/* One feature value -> int8 with the model's input quantization, as TFLite's QUANTIZE op:
 * round half away from zero of x / scale, plus the zero point, saturated. */
int8_t ta_app_quantize_feature(float x);

#if TA_APP_MICRO_FRONTEND
/* One micro frontend value -> int8, integer only: clamp(floor((v * NUM + DEN / 2) / DEN) + ZERO_POINT) with
 * the model's TA_MODEL_FEATURE_* rule (tinyaudio.frontend.micro.quantize_micro_features in Python). */
int8_t ta_app_quantize_micro(uint16_t value);
#endif

#endif /* TA_APP_H */
