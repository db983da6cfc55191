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

#if defined(TA_MODEL_HAS_FRONTEND_TABLES) && TA_MODEL_HAS_FRONTEND_TABLES && !defined(TA_APP_FRONTEND_TABLES_AT_BOOT)
/* The model carries the frontend's tables, generated at build time by the same C code: const (flash),
 * nothing to build at boot. */
static ta_frontend_status_t init_frontend(ta_frontend_t *fe)
{
    return ta_frontend_init_const(fe, &ta_model_frontend, &ta_model_frontend_tables);
}
#else
/* No generated tables (or -DTA_APP_FRONTEND_TABLES_AT_BOOT): built at boot into this RAM. */
static ta_frontend_table_storage_t ta_app_frontend_tables;

static ta_frontend_status_t init_frontend(ta_frontend_t *fe)
{
    return ta_frontend_init(fe, &ta_model_frontend, &ta_app_frontend_tables);
}
#endif

ta_status_t ta_app_init(ta_app_t *app)
{
    TA_PRECONDITION(app != NULL, TA_ERR_NULL);
    memset(app, 0, sizeof *app);
    if (init_frontend(&app->frontend) != TA_FRONTEND_OK) {
        return TA_ERR_PARAM;
    }
    app->num_frames = ta_frontend_num_frames(&ta_model_frontend, ta_model_frontend.clip_samples);
    app->num_features = ta_frontend_num_features(&ta_model_frontend);
    TA_PRECONDITION(app->num_features <= TA_FRONTEND_MAX_MEL_BINS, TA_ERR_CAPACITY);
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
    return app != NULL ? app->frontend.config.hop_length : 0u;
}

static ta_status_t start(ta_app_t *app, float gain)
{
    TA_PRECONDITION(app != NULL, TA_ERR_NULL);
    TA_PRECONDITION(app->initialized, TA_ERR_STATE);
    if (ta_frontend_reset(&app->frontend) != TA_FRONTEND_OK ||
        ta_frontend_set_gain(&app->frontend, gain) != TA_FRONTEND_OK) {
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
        row[k] = ta_app_quantize_feature(app->frame[k]);
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

ta_status_t ta_app_push_hop(ta_app_t *app, const float *hop, ta_app_result_t *result)
{
    TA_PRECONDITION(app != NULL && hop != NULL && result != NULL, TA_ERR_NULL);
    TA_PRECONDITION(app->initialized, TA_ERR_STATE);
    result->ready = 0u;
    ta_probe_frontend_begin();
    ta_frontend_status_t fs = ta_frontend_push_hop(&app->frontend, hop, app->frame);
    ta_probe_frontend_end();
    if (fs == TA_FRONTEND_NEED_MORE) {
        return TA_OK;
    }
    if (fs != TA_FRONTEND_OK) {
        return TA_ERR_PARAM;
    }
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

ta_status_t ta_app_end_clip(ta_app_t *app, ta_app_result_t *result)
{
    TA_PRECONDITION(app != NULL && result != NULL, TA_ERR_NULL);
    TA_PRECONDITION(app->initialized && app->clip_mode, TA_ERR_STATE);
    result->ready = 0u;
    while (app->frames_in_window < app->num_frames) {
        ta_probe_frontend_begin();
        ta_frontend_status_t fs = ta_frontend_flush(&app->frontend, app->frame);
        ta_probe_frontend_end();
        if (fs == TA_FRONTEND_DONE) {
            break; /* the clip was shorter than the model's window */
        }
        if (fs != TA_FRONTEND_OK) {
            return TA_ERR_PARAM;
        }
        store_frame(app);
    }
    TA_PRECONDITION(app->frames_in_window == app->num_frames, TA_ERR_STATE);
    return infer(app, result);
}
