#include "ta_depthwise_conv2d_s8.h"

#include "ta_conv_s8_common.h"
#include "ta_quant.h"

/* Channels accumulated together per output pixel when depth_multiplier == 1 (stack: 2 x 4 x this). */
#define TA_DW_CHUNK 32

/* The per-channel output stage of the depth_multiplier == 1 kernels, read once into locals. */
typedef struct {
    const int32_t *bias;
    const int32_t *multiplier;
    const int32_t *shift;
    int32_t input_offset, output_offset;
    int32_t act_min, act_max;
} ta_dw_output_t;

/* One tap over a run of n channels: acc[c] += f[c] * x[c] and fsum[c] += f[c]. */
static inline void ta_dw_tap(int32_t *restrict acc, int32_t *restrict fsum, const int8_t *restrict x,
                             const int8_t *restrict f, int32_t n)
{
    for (int32_t c = 0; c < n; ++c) {
        acc[c] += f[c] * (int32_t)x[c];
        fsum[c] += f[c];
    }
}

/* Writes output channels c0 .. c0 + n - 1 of one pixel from their sums. */
static inline void ta_dw_store(const ta_dw_output_t *o, const int32_t *acc, const int32_t *fsum, int32_t c0, int32_t n,
                               int8_t *out_px)
{
    for (int32_t c = 0; c < n; ++c) {
        const int32_t oc = c0 + c;
        /* sum(f * x) + offset * sum(f) == TFLM's sum(f * (x + offset)) */
        out_px[oc] = ta_conv_requantize(acc[c] + fsum[c] * o->input_offset, o->bias, oc, o->multiplier[oc],
                                        o->shift[oc], o->output_offset, o->act_min, o->act_max);
    }
}

/* depth_multiplier == 1: channel c of the output reads channel c of the input, so for each valid tap
 * a contiguous run of channels is multiplied at once (input and filter both channel-innermost). */
static void ta_depthwise_conv2d_s8_m1(const ta_depthwise_conv2d_s8_params_t *p, const int8_t *restrict input,
                                      const int8_t *restrict filter, const int32_t *restrict bias,
                                      int8_t *restrict output)
{
    const int32_t in_h = p->input_h, in_w = p->input_w, ch = p->input_c;
    const int32_t f_h = p->filter_h, f_w = p->filter_w;
    const int32_t out_h = p->output_h, out_w = p->output_w;
    const int32_t stride_h = p->stride_h, stride_w = p->stride_w;
    const int32_t dil_h = p->dilation_h, dil_w = p->dilation_w;
    const int32_t pad_h = p->pad_h, pad_w = p->pad_w;
    const ta_dw_output_t out = {bias, p->output_multiplier, p->output_shift, p->input_offset, p->output_offset,
                                p->activation_min, p->activation_max};
    int32_t acc[TA_DW_CHUNK];
    int32_t fsum[TA_DW_CHUNK];

    for (int32_t b = 0; b < p->batches; ++b) {
        const int8_t *in_batch = input + b * in_h * in_w * ch;
        for (int32_t out_y = 0; out_y < out_h; ++out_y) {
            const int32_t in_y_origin = out_y * stride_h - pad_h;
            const int32_t fy_start = ta_conv_first_tap(in_y_origin, dil_h, f_h);
            const int32_t fy_end = ta_conv_end_tap(in_y_origin, dil_h, f_h, in_h, fy_start);
            for (int32_t out_x = 0; out_x < out_w; ++out_x) {
                const int32_t in_x_origin = out_x * stride_w - pad_w;
                const int32_t fx_start = ta_conv_first_tap(in_x_origin, dil_w, f_w);
                const int32_t fx_end = ta_conv_end_tap(in_x_origin, dil_w, f_w, in_w, fx_start);
                int8_t *out_px = output + ((b * out_h + out_y) * out_w + out_x) * ch;
                for (int32_t c0 = 0; c0 < ch; c0 += TA_DW_CHUNK) {
                    const int32_t n = ch - c0 < TA_DW_CHUNK ? ch - c0 : TA_DW_CHUNK;
                    for (int32_t c = 0; c < n; ++c) {
                        acc[c] = 0;
                        fsum[c] = 0;
                    }
                    for (int32_t fy = fy_start; fy < fy_end; ++fy) {
                        const int32_t in_y = in_y_origin + dil_h * fy;
                        for (int32_t fx = fx_start; fx < fx_end; ++fx) {
                            const int8_t *x = in_batch + (in_y * in_w + in_x_origin + dil_w * fx) * ch + c0;
                            const int8_t *f = filter + (fy * f_w + fx) * ch + c0;
                            ta_dw_tap(acc, fsum, x, f, n);
                        }
                    }
                    ta_dw_store(&out, acc, fsum, c0, n, out_px);
                }
            }
        }
    }
}

ta_status_t ta_depthwise_conv2d_s8(const ta_depthwise_conv2d_s8_params_t *p, const int8_t *input,
                                   const int8_t *filter, const int32_t *bias, int8_t *output)
{
    TA_PRECONDITION(p != 0 && input != 0 && filter != 0 && output != 0, TA_ERR_NULL);
    TA_PRECONDITION(p->output_multiplier != 0 && p->output_shift != 0, TA_ERR_NULL);
    TA_PRECONDITION(p->batches > 0 && p->input_h > 0 && p->input_w > 0 && p->input_c > 0, TA_ERR_SHAPE);
    TA_PRECONDITION(p->filter_h > 0 && p->filter_w > 0, TA_ERR_SHAPE);
    TA_PRECONDITION(p->output_h > 0 && p->output_w > 0, TA_ERR_SHAPE);
    TA_PRECONDITION(p->depth_multiplier > 0 && p->output_c == p->input_c * p->depth_multiplier, TA_ERR_SHAPE);
    TA_PRECONDITION(p->stride_h > 0 && p->stride_w > 0 && p->dilation_h > 0 && p->dilation_w > 0, TA_ERR_PARAM);
    TA_PRECONDITION(p->activation_min <= p->activation_max, TA_ERR_PARAM);

    /* Locals: the int8 output may alias anything, so fields read through `p` would be reloaded. */
    const int32_t in_h = p->input_h, in_w = p->input_w, in_c = p->input_c;
    const int32_t f_h = p->filter_h, f_w = p->filter_w;
    const int32_t out_h = p->output_h, out_w = p->output_w, out_c = p->output_c;
    const int32_t mult = p->depth_multiplier;
    const int32_t stride_h = p->stride_h, stride_w = p->stride_w;
    const int32_t dil_h = p->dilation_h, dil_w = p->dilation_w;
    const int32_t pad_h = p->pad_h, pad_w = p->pad_w;
    const int32_t input_offset = p->input_offset, output_offset = p->output_offset;
    const int32_t act_min = p->activation_min, act_max = p->activation_max;
    const int32_t *multiplier = p->output_multiplier;
    const int32_t *shift = p->output_shift;

    if (mult == 1) {
        ta_depthwise_conv2d_s8_m1(p, input, filter, bias, output);
        return TA_OK;
    }
    for (int32_t b = 0; b < p->batches; ++b) {
        const int8_t *in_batch = input + b * in_h * in_w * in_c;
        for (int32_t out_y = 0; out_y < out_h; ++out_y) {
            const int32_t in_y_origin = out_y * stride_h - pad_h;
            /* Valid filter rows for this output row (taps outside the image are skipped, as in TFLM).
             * Written out here rather than with ta_conv_first_tap/end_tap: with the helpers GCC lays
             * out this loop nest differently (+0.8% Cortex-M4 instructions on micro_speech). */
            int32_t fy_start = 0, fy_end = f_h;
            while (fy_start < f_h && in_y_origin + dil_h * fy_start < 0) {
                ++fy_start;
            }
            while (fy_end > fy_start && in_y_origin + dil_h * (fy_end - 1) >= in_h) {
                --fy_end;
            }
            for (int32_t out_x = 0; out_x < out_w; ++out_x) {
                const int32_t in_x_origin = out_x * stride_w - pad_w;
                int32_t fx_start = 0, fx_end = f_w;
                while (fx_start < f_w && in_x_origin + dil_w * fx_start < 0) {
                    ++fx_start;
                }
                while (fx_end > fx_start && in_x_origin + dil_w * (fx_end - 1) >= in_w) {
                    --fx_end;
                }
                int8_t *out_px = output + ((b * out_h + out_y) * out_w + out_x) * out_c;
                for (int32_t oc = 0; oc < out_c; ++oc) {
                    const int32_t ic = oc / mult;
                    int32_t acc = 0;
                    int32_t filter_sum = 0;
                    for (int32_t fy = fy_start; fy < fy_end; ++fy) {
                        const int8_t *in_row = in_batch + ((in_y_origin + dil_h * fy) * in_w) * in_c + ic;
                        const int8_t *f_row = filter + (fy * f_w) * out_c + oc;
                        for (int32_t fx = fx_start; fx < fx_end; ++fx) {
                            const int32_t f_val = f_row[fx * out_c];
                            acc += f_val * (int32_t)in_row[(in_x_origin + dil_w * fx) * in_c];
                            filter_sum += f_val;
                        }
                    }
                    /* sum(f * x) + offset * sum(f): the same integer as TFLM's sum(f * (x + offset)). */
                    out_px[oc] = ta_conv_requantize(acc + filter_sum * input_offset, bias, oc, multiplier[oc],
                                                    shift[oc], output_offset, act_min, act_max);
                }
            }
        }
    }
    return TA_OK;
}

ta_status_t ta_depthwise_conv2d_s8_inplace(const ta_depthwise_conv2d_s8_params_t *p, const int8_t *input,
                                           const int8_t *filter, const int32_t *bias, int8_t *output,
                                           int8_t *scratch)
{
    TA_PRECONDITION(p != 0 && input != 0 && filter != 0 && output != 0 && scratch != 0, TA_ERR_NULL);
    TA_PRECONDITION(p->output_multiplier != 0 && p->output_shift != 0, TA_ERR_NULL);
    TA_PRECONDITION(p->batches > 0 && p->input_h > 0 && p->input_w > 0 && p->input_c > 0, TA_ERR_SHAPE);
    TA_PRECONDITION(p->filter_h > 0 && p->filter_w > 0, TA_ERR_SHAPE);
    TA_PRECONDITION(p->depth_multiplier == 1 && p->output_c == p->input_c, TA_ERR_UNSUPPORTED);
    TA_PRECONDITION(p->output_h == p->input_h && p->output_w == p->input_w, TA_ERR_UNSUPPORTED);
    TA_PRECONDITION(p->stride_h == 1 && p->stride_w == 1 && p->dilation_h == 1 && p->dilation_w == 1,
                    TA_ERR_UNSUPPORTED);
    TA_PRECONDITION(p->pad_h >= 0 && p->pad_h < p->filter_h && p->pad_w >= 0, TA_ERR_PARAM);
    TA_PRECONDITION(p->activation_min <= p->activation_max, TA_ERR_PARAM);

    const int32_t h = p->input_h, w = p->input_w, ch = p->input_c;
    const int32_t f_h = p->filter_h, f_w = p->filter_w;
    const int32_t pad_h = p->pad_h, pad_w = p->pad_w;
    const int32_t ring_rows = pad_h + 1;
    const int32_t row_bytes = w * ch;
    const ta_dw_output_t out = {bias, p->output_multiplier, p->output_shift, p->input_offset, p->output_offset,
                                p->activation_min, p->activation_max};
    int32_t acc[TA_DW_CHUNK];
    int32_t fsum[TA_DW_CHUNK];

    for (int32_t b = 0; b < p->batches; ++b) {
        const int8_t *in_batch = input + b * h * row_bytes;
        int8_t *out_batch = output + b * h * row_bytes;
        for (int32_t y = 0; y < h; ++y) {
            /* Save input row y before output row y overwrites it. */
            int8_t *slot = scratch + (y % ring_rows) * row_bytes;
            const int8_t *src = in_batch + y * row_bytes;
            for (int32_t i = 0; i < row_bytes; ++i) {
                slot[i] = src[i];
            }
            const int32_t fy_start = ta_conv_first_tap(y - pad_h, 1, f_h);
            const int32_t fy_end = ta_conv_end_tap(y - pad_h, 1, f_h, h, fy_start);
            for (int32_t x = 0; x < w; ++x) {
                const int32_t in_x_origin = x - pad_w;
                const int32_t fx_start = ta_conv_first_tap(in_x_origin, 1, f_w);
                const int32_t fx_end = ta_conv_end_tap(in_x_origin, 1, f_w, w, fx_start);
                int8_t *out_px = out_batch + y * row_bytes + x * ch;
                for (int32_t c0 = 0; c0 < ch; c0 += TA_DW_CHUNK) {
                    const int32_t n = ch - c0 < TA_DW_CHUNK ? ch - c0 : TA_DW_CHUNK;
                    for (int32_t c = 0; c < n; ++c) {
                        acc[c] = 0;
                        fsum[c] = 0;
                    }
                    for (int32_t fy = fy_start; fy < fy_end; ++fy) {
                        const int32_t r = y - pad_h + fy;
                        /* rows up to y are (or are about to be) overwritten: read their saved copy */
                        const int8_t *row = r <= y ? scratch + (r % ring_rows) * row_bytes : in_batch + r * row_bytes;
                        for (int32_t fx = fx_start; fx < fx_end; ++fx) {
                            const int8_t *xv = row + (in_x_origin + fx) * ch + c0;
                            const int8_t *f = filter + (fy * f_w + fx) * ch + c0;
                            ta_dw_tap(acc, fsum, xv, f, n);
                        }
                    }
                    ta_dw_store(&out, acc, fsum, c0, n, out_px);
                }
            }
        }
    }
    return TA_OK;
}
