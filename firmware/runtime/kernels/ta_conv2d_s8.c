#include "ta_conv2d_s8.h"

#include "ta_quant.h"

ta_status_t ta_conv2d_s8(const ta_conv2d_s8_params_t *p, const int8_t *input, const int8_t *filter,
                         const int32_t *bias, int8_t *output)
{
    TA_PRECONDITION(p != 0 && input != 0 && filter != 0 && output != 0, TA_ERR_NULL);
    TA_PRECONDITION(p->output_multiplier != 0 && p->output_shift != 0, TA_ERR_NULL);
    TA_PRECONDITION(p->batches > 0 && p->input_h > 0 && p->input_w > 0 && p->input_c > 0, TA_ERR_SHAPE);
    TA_PRECONDITION(p->filter_h > 0 && p->filter_w > 0 && p->filter_c > 0, TA_ERR_SHAPE);
    TA_PRECONDITION(p->output_h > 0 && p->output_w > 0 && p->output_c > 0, TA_ERR_SHAPE);
    TA_PRECONDITION(p->input_c % p->filter_c == 0, TA_ERR_SHAPE);
    TA_PRECONDITION(p->output_c % (p->input_c / p->filter_c) == 0, TA_ERR_SHAPE);
    TA_PRECONDITION(p->stride_h > 0 && p->stride_w > 0 && p->dilation_h > 0 && p->dilation_w > 0, TA_ERR_PARAM);
    TA_PRECONDITION(p->activation_min <= p->activation_max, TA_ERR_PARAM);

    const int32_t groups = p->input_c / p->filter_c;
    const int32_t filters_per_group = p->output_c / groups;
    const int32_t filter_stride = p->filter_h * p->filter_w * p->filter_c;

    for (int32_t b = 0; b < p->batches; ++b) {
        const int8_t *in_batch = input + (int32_t)(b * p->input_h * p->input_w * p->input_c);
        for (int32_t out_y = 0; out_y < p->output_h; ++out_y) {
            const int32_t in_y_origin = out_y * p->stride_h - p->pad_h;
            for (int32_t out_x = 0; out_x < p->output_w; ++out_x) {
                const int32_t in_x_origin = out_x * p->stride_w - p->pad_w;
                int8_t *out_px = output + (((b * p->output_h + out_y) * p->output_w + out_x) * p->output_c);
                for (int32_t oc = 0; oc < p->output_c; ++oc) {
                    const int32_t group = oc / filters_per_group;
                    const int8_t *filt = filter + oc * filter_stride;
                    int32_t acc = 0;
                    for (int32_t fy = 0; fy < p->filter_h; ++fy) {
                        const int32_t in_y = in_y_origin + p->dilation_h * fy;
                        if (in_y < 0 || in_y >= p->input_h) {
                            continue;
                        }
                        for (int32_t fx = 0; fx < p->filter_w; ++fx) {
                            const int32_t in_x = in_x_origin + p->dilation_w * fx;
                            if (in_x < 0 || in_x >= p->input_w) {
                                continue;
                            }
                            const int8_t *in_px =
                                in_batch + (in_y * p->input_w + in_x) * p->input_c + group * p->filter_c;
                            const int8_t *f = filt + (fy * p->filter_w + fx) * p->filter_c;
                            for (int32_t ic = 0; ic < p->filter_c; ++ic) {
                                acc += (int32_t)f[ic] * ((int32_t)in_px[ic] + p->input_offset);
                            }
                        }
                    }
                    if (bias != 0) {
                        acc += bias[oc];
                    }
                    acc = ta_multiply_by_quantized_multiplier(acc, p->output_multiplier[oc], p->output_shift[oc]);
                    acc += p->output_offset;
                    out_px[oc] = (int8_t)ta_clamp_i32(acc, p->activation_min, p->activation_max);
                }
            }
        }
    }
    return TA_OK;
}
