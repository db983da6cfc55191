/* Application core: see ta_app.h. */
#include "ta_app.h"

#include <math.h>
#include <string.h>

#include "ta_probe.h"

int8_t ta_app_quantize_feature(float x)
{
    /* TFLite's AffineQuantize: round(x / scale) + zero_point, round half away from zero. */
    float q = roundf(x / (float)TA_MODEL_INPUT_SCALE);
    int32_t v;
    if (!(q > -1000.0f)) { /* also catches NaN */
        v = -128;
    } else if (q > 1000.0f) {
        v = 127;
    } else {
        v = (int32_t)q + (int32_t)TA_MODEL_INPUT_ZERO_POINT;
    }
    if (v < -128) {
        v = -128;
    }
    if (v > 127) {
        v = 127;
    }
    return (int8_t)v;
}

#if TA_APP_MICRO_FRONTEND
int8_t ta_app_quantize_micro(uint16_t value)
{
    uint64_t q = ((uint64_t)value * (uint64_t)TA_MODEL_FEATURE_NUM + (uint64_t)TA_MODEL_FEATURE_DEN / 2u) /
                 (uint64_t)TA_MODEL_FEATURE_DEN;
    int64_t v = (q > 1000u ? 1000 : (int64_t)q) + (int64_t)TA_MODEL_FEATURE_ZERO_POINT;
    if (v < -128) {
        v = -128;
    }
    if (v > 127) {
        v = 127;
    }
    return (int8_t)v;
}

/* The micro frontend's tables are always generated at build time (integer, const): nothing to build. */
static int init_frontend(ta_mfe_t *fe)
{
    return ta_mfe_init_const(fe, &ta_model_micro_frontend) == TA_MFE_OK;
}

uint32_t ta_app_clip_samples(void)
{
    return ta_model_micro_frontend.config.clip_samples;
}

int ta_app_clip_normalizes(void)
{
    return 0;
}

float ta_app_clip_gain(const float *clip, uint32_t n_samples)
{
    (void)clip;
    (void)n_samples;
    return 1.0f;
}

static uint32_t frontend_frames(void)
{
    return ta_mfe_num_rows(&ta_model_micro_frontend, ta_model_micro_frontend.config.clip_samples);
}

static uint32_t frontend_features(void)
{
    return ta_mfe_row_values(&ta_model_micro_frontend);
}

static uint32_t frontend_hop(const ta_app_t *app)
{
    return app->frontend.tables != NULL ? app->frontend.tables->step_samples : 0u;
}

static int frontend_restart(ta_app_t *app, float gain)
{
    return gain == 1.0f && ta_mfe_reset(&app->frontend) == TA_MFE_OK;
}
#else
uint32_t ta_app_clip_samples(void)
{
    return ta_model_frontend.clip_samples;
}

int ta_app_clip_normalizes(void)
{
    return ta_model_frontend.normalize != (uint8_t)TA_NORMALIZE_NONE;
}

float ta_app_clip_gain(const float *clip, uint32_t n_samples)
{
    return ta_frontend_clip_gain(&ta_model_frontend, clip, n_samples);
}

static uint32_t frontend_frames(void)
{
    return ta_frontend_num_frames(&ta_model_frontend, ta_model_frontend.clip_samples);
}

static uint32_t frontend_features(void)
{
    return ta_frontend_num_features(&ta_model_frontend);
}

static uint32_t frontend_hop(const ta_app_t *app)
{
    return app->frontend.config.hop_length;
}

static int frontend_restart(ta_app_t *app, float gain)
{
    return ta_frontend_reset(&app->frontend) == TA_FRONTEND_OK &&
           ta_frontend_set_gain(&app->frontend, gain) == TA_FRONTEND_OK;
}
#endif

#if TA_APP_MICRO_FRONTEND
/* init_frontend() is above: the micro frontend's tables are always const. */
#elif defined(TA_MODEL_HAS_FRONTEND_TABLES) && TA_MODEL_HAS_FRONTEND_TABLES && !defined(TA_APP_FRONTEND_TABLES_AT_BOOT)
/* The model carries the frontend's tables, generated at build time by the same C code: const (flash),
 * nothing to build at boot. */
static int init_frontend(ta_frontend_t *fe)
{
    return ta_frontend_init_const(fe, &ta_model_frontend, &ta_model_frontend_tables) == TA_FRONTEND_OK;
}
#else
/* No generated tables (or -DTA_APP_FRONTEND_TABLES_AT_BOOT): built at boot into this RAM. */
static ta_frontend_table_storage_t ta_app_frontend_tables;

static int init_frontend(ta_frontend_t *fe)
{
    return ta_frontend_init(fe, &ta_model_frontend, &ta_app_frontend_tables) == TA_FRONTEND_OK;
}
#endif

ta_status_t ta_app_init(ta_app_t *app)
{
    TA_PRECONDITION(app != NULL, TA_ERR_NULL);
    memset(app, 0, sizeof *app);
    if (!init_frontend(&app->frontend)) {
        return TA_ERR_PARAM;
    }
    app->num_frames = frontend_frames();
    app->num_features = frontend_features();
    TA_PRECONDITION(app->num_features <= TA_APP_MAX_FEATURES, TA_ERR_CAPACITY);
    TA_PRECONDITION(app->num_frames * app->num_features == (uint32_t)TA_MODEL_INPUT_BYTES, TA_ERR_SHAPE);
    ta_status_t st = ta_model_init();
    if (st != TA_OK) {
        return st;
    }
    app->stride_frames = app->num_frames;
    app->initialized = 1u;
    return TA_OK;
}

uint32_t ta_app_hop_samples(const ta_app_t *app)
{
    return app != NULL ? frontend_hop(app) : 0u;
}

static ta_status_t start(ta_app_t *app, float gain)
{
    TA_PRECONDITION(app != NULL, TA_ERR_NULL);
    TA_PRECONDITION(app->initialized, TA_ERR_STATE);
    if (!frontend_restart(app, gain)) {
        return TA_ERR_PARAM;
    }
    app->frames_in_window = 0u;
    app->next_row = 0u;
    app->frames_since_result = 0u;
    return TA_OK;
}

ta_status_t ta_app_begin_clip(ta_app_t *app, float gain)
{
    ta_status_t st = start(app, gain);
    if (st == TA_OK) {
        app->clip_mode = 1u;
    }
    return st;
}

ta_status_t ta_app_begin_stream(ta_app_t *app, uint32_t stride_frames)
{
    TA_PRECONDITION(stride_frames >= 1u, TA_ERR_PARAM);
    ta_status_t st = start(app, 1.0f);
    if (st == TA_OK) {
        app->clip_mode = 0u;
        app->stride_frames = stride_frames;
    }
    return st;
}

/* Quantizes app->frame into the next row of the ring. */
static void store_frame(ta_app_t *app)
{
    int8_t *row = &app->window[app->next_row * app->num_features];
    for (uint32_t k = 0; k < app->num_features; ++k) {
#if TA_APP_MICRO_FRONTEND
        row[k] = ta_app_quantize_micro(app->frame[k]);
#else
        row[k] = ta_app_quantize_feature(app->frame[k]);
#endif
    }
    app->next_row = (app->next_row + 1u) % app->num_frames;
    if (app->frames_in_window < app->num_frames) {
        app->frames_in_window++;
    }
    app->frames_since_result++;
}

/* Copies the ring, oldest frame first, into the model input and invokes the model. */
static ta_status_t infer(ta_app_t *app, ta_app_result_t *result)
{
    int8_t *input = ta_model_input();
    TA_PRECONDITION(input != NULL, TA_ERR_STATE);
    size_t row_bytes = app->num_features;
    size_t head_rows = app->num_frames - app->next_row; /* rows from next_row to the end are older */
    memcpy(input, &app->window[app->next_row * row_bytes], head_rows * row_bytes);
    memcpy(input + head_rows * row_bytes, app->window, app->next_row * row_bytes);

    ta_probe_model_begin();
    ta_status_t st = ta_model_invoke();
    ta_probe_model_end();
    if (st != TA_OK) {
        return st;
    }
    const int8_t *scores = ta_model_output();
    TA_PRECONDITION(scores != NULL, TA_ERR_STATE);
    int32_t best = 0;
    for (int32_t i = 1; i < (int32_t)TA_MODEL_OUTPUT_BYTES; ++i) {
        if (scores[i] > scores[best]) {
            best = i;
        }
    }
    result->ready = 1u;
    result->index = app->inferences++;
    result->label = best;
    result->scores = scores;
    app->frames_since_result = 0u;
    return TA_OK;
}

/* A frame (row) is in app->frame: into the window; in streaming mode, an inference when one is due. */
static ta_status_t on_frame(ta_app_t *app, ta_app_result_t *result)
{
    if (app->clip_mode) {
        /* The clip's window is its first num_frames frames (as ta_frontend_compute_clip): a frame that
         * only exists because the last partial hop was zero-padded is dropped. */
        if (app->frames_in_window < app->num_frames) {
            store_frame(app);
        }
        return TA_OK;
    }
    store_frame(app);
    if (app->frames_in_window == app->num_frames && app->frames_since_result >= app->stride_frames) {
        return infer(app, result);
    }
    return TA_OK;
}

#if TA_APP_MICRO_FRONTEND
/* The micro frontend takes samples only up to the end of each window: push until the hop is consumed. A hop
 * of one window step completes at most one row. */
static ta_status_t push_pcm(ta_app_t *app, const int16_t *pcm, ta_app_result_t *result)
{
    uint32_t left = frontend_hop(app);
    while (left > 0u) {
        uint32_t used = 0;
        ta_probe_frontend_begin();
        ta_mfe_status_t fs = ta_mfe_push(&app->frontend, pcm, left, &used, app->frame);
        ta_probe_frontend_end();
        if (fs != TA_MFE_OK && fs != TA_MFE_NEED_MORE) {
            return TA_ERR_PARAM;
        }
        TA_PRECONDITION(used <= left, TA_ERR_STATE);
        pcm += used;
        left -= used;
        if (fs == TA_MFE_OK) {
            ta_status_t st = on_frame(app, result);
            if (st != TA_OK) {
                return st;
            }
        }
    }
    return TA_OK;
}

ta_status_t ta_app_push_hop(ta_app_t *app, const float *hop, ta_app_result_t *result)
{
    TA_PRECONDITION(app != NULL && hop != NULL && result != NULL, TA_ERR_NULL);
    TA_PRECONDITION(app->initialized, TA_ERR_STATE);
    result->ready = 0u;
    uint32_t n = frontend_hop(app);
    TA_PRECONDITION(n <= TA_APP_MAX_HOP, TA_ERR_CAPACITY);
    /* float samples in [-1, 1] -> int16: round(x * 32768), saturated (exact for 16-bit PCM data). */
    for (uint32_t i = 0; i < n; ++i) {
        float x = hop[i] * 32768.0f;
        int32_t v = x >= 32767.0f ? 32767 : (x <= -32768.0f ? -32768 : (int32_t)lrintf(x));
        app->pcm[i] = (int16_t)v;
    }
    return push_pcm(app, app->pcm, result);
}

ta_status_t ta_app_push_hop_i16(ta_app_t *app, const int16_t *hop, ta_app_result_t *result)
{
    TA_PRECONDITION(app != NULL && hop != NULL && result != NULL, TA_ERR_NULL);
    TA_PRECONDITION(app->initialized, TA_ERR_STATE);
    result->ready = 0u;
    return push_pcm(app, hop, result);
}
#else
static ta_status_t on_push(ta_app_t *app, ta_frontend_status_t fs, ta_app_result_t *result)
{
    if (fs == TA_FRONTEND_NEED_MORE) {
        return TA_OK;
    }
    if (fs != TA_FRONTEND_OK) {
        return TA_ERR_PARAM;
    }
    return on_frame(app, result);
}

ta_status_t ta_app_push_hop(ta_app_t *app, const float *hop, ta_app_result_t *result)
{
    TA_PRECONDITION(app != NULL && hop != NULL && result != NULL, TA_ERR_NULL);
    TA_PRECONDITION(app->initialized, TA_ERR_STATE);
    result->ready = 0u;
    ta_probe_frontend_begin();
    ta_frontend_status_t fs = ta_frontend_push_hop(&app->frontend, hop, app->frame);
    ta_probe_frontend_end();
    return on_push(app, fs, result);
}

ta_status_t ta_app_push_hop_i16(ta_app_t *app, const int16_t *hop, ta_app_result_t *result)
{
    TA_PRECONDITION(app != NULL && hop != NULL && result != NULL, TA_ERR_NULL);
    TA_PRECONDITION(app->initialized, TA_ERR_STATE);
    result->ready = 0u;
    ta_probe_frontend_begin();
    ta_frontend_status_t fs = ta_frontend_push_hop_i16(&app->frontend, hop, app->frame);
    ta_probe_frontend_end();
    return on_push(app, fs, result);
}
#endif

ta_status_t ta_app_end_clip(ta_app_t *app, ta_app_result_t *result)
{
    TA_PRECONDITION(app != NULL && result != NULL, TA_ERR_NULL);
    TA_PRECONDITION(app->initialized && app->clip_mode, TA_ERR_STATE);
    result->ready = 0u;
    while (app->frames_in_window < app->num_frames) {
        ta_probe_frontend_begin();
#if TA_APP_MICRO_FRONTEND
        ta_mfe_status_t fs = ta_mfe_flush(&app->frontend, app->frame);
        const int done = fs == TA_MFE_DONE;
        const int ok = fs == TA_MFE_OK;
#else
        ta_frontend_status_t fs = ta_frontend_flush(&app->frontend, app->frame);
        const int done = fs == TA_FRONTEND_DONE;
        const int ok = fs == TA_FRONTEND_OK;
#endif
        ta_probe_frontend_end();
        if (done) {
            break; /* the clip was shorter than the model's window */
        }
        if (!ok) {
            return TA_ERR_PARAM;
        }
        store_frame(app);
    }
    TA_PRECONDITION(app->frames_in_window == app->num_frames, TA_ERR_STATE);
    return infer(app, result);
}
