/* Shared by AVERAGE_POOL_2D and MAX_POOL_2D (int8, NHWC): the parameter block and the window walk. */
#ifndef TA_POOL2D_S8_H
#define TA_POOL2D_S8_H

#include <stdint.h>

#include "ta_quant.h"
#include "ta_status.h"

typedef struct {
    int32_t batches;
    int32_t input_h, input_w, channels;
    int32_t output_h, output_w;
    int32_t filter_h, filter_w;
    int32_t stride_h, stride_w;
    int32_t pad_h, pad_w;
    int32_t activation_min, activation_max;
} ta_pool2d_s8_params_t;

/* One channel of one output pixel from its window clipped to the input: input[first] is the window's
 * top-left cell, rows are `row_stride` apart and columns `col_stride` apart (rows or cols may be 0).
 * The caller clamps the result to the activation range. */
typedef int32_t (*ta_pool2d_s8_reduce_fn)(const int8_t *input, int32_t first, int32_t row_stride,
                                           int32_t col_stride, int32_t rows, int32_t cols);

/* Checks `p`, then output[b, y, x, c] = clamp(reduce(window of (b, y, x), channel c)) in TFLM's order.
 * A window that holds no input cell is TA_ERR_PARAM when `empty_window_is_error` (TFLM's average
 * pool refuses it); otherwise `reduce` gets rows or cols 0. Static inline: each kernel calls it once
 * with a constant `reduce`, so both inline into the kernel's own loop. */
static inline ta_status_t ta_pool2d_s8_walk(const ta_pool2d_s8_params_t *p, const int8_t *input, int8_t *output,
                                            ta_pool2d_s8_reduce_fn reduce, int empty_window_is_error)
{
    TA_PRECONDITION(p != 0 && input != 0 && output != 0, TA_ERR_NULL);
    TA_PRECONDITION(p->batches > 0 && p->input_h > 0 && p->input_w > 0 && p->channels > 0, TA_ERR_SHAPE);
    TA_PRECONDITION(p->output_h > 0 && p->output_w > 0 && p->filter_h > 0 && p->filter_w > 0, TA_ERR_SHAPE);
    TA_PRECONDITION(p->stride_h > 0 && p->stride_w > 0, TA_ERR_PARAM);
    TA_PRECONDITION(p->activation_min <= p->activation_max, TA_ERR_PARAM);

    /* Locals: the int8 output may alias anything, so fields read through `p` would be reloaded. */
    const int32_t in_h = p->input_h, in_w = p->input_w, ch = p->channels;
    const int32_t out_h = p->output_h, out_w = p->output_w;
    const int32_t f_h = p->filter_h, f_w = p->filter_w;
    const int32_t act_min = p->activation_min, act_max = p->activation_max;
    for (int32_t b = 0; b < p->batches; ++b) {
        for (int32_t out_y = 0; out_y < out_h; ++out_y) {
            const int32_t in_y_origin = out_y * p->stride_h - p->pad_h;
            const int32_t fy_start = in_y_origin < 0 ? -in_y_origin : 0;
            const int32_t fy_end = in_h - in_y_origin < f_h ? in_h - in_y_origin : f_h;
            for (int32_t out_x = 0; out_x < out_w; ++out_x) {
                const int32_t in_x_origin = out_x * p->stride_w - p->pad_w;
                const int32_t fx_start = in_x_origin < 0 ? -in_x_origin : 0;
                const int32_t fx_end = in_w - in_x_origin < f_w ? in_w - in_x_origin : f_w;
                const int32_t rows = fy_end > fy_start ? fy_end - fy_start : 0;
                const int32_t cols = fx_end > fx_start ? fx_end - fx_start : 0;
                const int32_t first = ((b * in_h + in_y_origin + fy_start) * in_w + in_x_origin + fx_start) * ch;
                int8_t *out_px = output + ((b * out_h + out_y) * out_w + out_x) * ch;
                TA_PRECONDITION(!(empty_window_is_error && (rows == 0 || cols == 0)), TA_ERR_PARAM);
                for (int32_t c = 0; c < ch; ++c) {
                    const int32_t v = reduce(input, first + c, in_w * ch, ch, rows, cols);
                    out_px[c] = (int8_t)ta_clamp_i32(v, act_min, act_max);
                }
            }
        }
    }
    return TA_OK;
}

#endif /* TA_POOL2D_S8_H */
