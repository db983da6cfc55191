#include "ta_average_pool2d_s8.h"

#include "ta_quant.h"

static int32_t ta_max32(int32_t a, int32_t b) { return a > b ? a : b; }
static int32_t ta_min32(int32_t a, int32_t b) { return a < b ? a : b; }

ta_status_t ta_average_pool2d_s8(const ta_pool2d_s8_params_t *p, const int8_t *input, int8_t *output)
{
    TA_PRECONDITION(p != 0 && input != 0 && output != 0, TA_ERR_NULL);
    TA_PRECONDITION(p->batches > 0 && p->input_h > 0 && p->input_w > 0 && p->channels > 0, TA_ERR_SHAPE);
    TA_PRECONDITION(p->output_h > 0 && p->output_w > 0 && p->filter_h > 0 && p->filter_w > 0, TA_ERR_SHAPE);
    TA_PRECONDITION(p->stride_h > 0 && p->stride_w > 0, TA_ERR_PARAM);
    TA_PRECONDITION(p->activation_min <= p->activation_max, TA_ERR_PARAM);

    for (int32_t b = 0; b < p->batches; ++b) {
        for (int32_t out_y = 0; out_y < p->output_h; ++out_y) {
            const int32_t in_y_origin = out_y * p->stride_h - p->pad_h;
            const int32_t fy_start = ta_max32(0, -in_y_origin);
            const int32_t fy_end = ta_min32(p->filter_h, p->input_h - in_y_origin);
            for (int32_t out_x = 0; out_x < p->output_w; ++out_x) {
                const int32_t in_x_origin = out_x * p->stride_w - p->pad_w;
                const int32_t fx_start = ta_max32(0, -in_x_origin);
                const int32_t fx_end = ta_min32(p->filter_w, p->input_w - in_x_origin);
                const int32_t count = (fy_end - fy_start) * (fx_end - fx_start);
                /* TFLM returns an error when a window holds no input cell. */
                TA_PRECONDITION(fy_end > fy_start && fx_end > fx_start, TA_ERR_PARAM);
                int8_t *out_px = output + ((b * p->output_h + out_y) * p->output_w + out_x) * p->channels;
                for (int32_t c = 0; c < p->channels; ++c) {
                    int32_t acc = 0;
                    for (int32_t fy = fy_start; fy < fy_end; ++fy) {
                        const int8_t *row = input + ((b * p->input_h + in_y_origin + fy) * p->input_w) * p->channels;
                        for (int32_t fx = fx_start; fx < fx_end; ++fx) {
                            acc += row[(in_x_origin + fx) * p->channels + c];
                        }
                    }
                    /* C division truncates toward zero, as TFLM's does. */
                    acc = acc > 0 ? (acc + count / 2) / count : (acc - count / 2) / count;
                    out_px[c] = (int8_t)ta_clamp_i32(acc, p->activation_min, p->activation_max);
                }
            }
        }
    }
    return TA_OK;
}
