#include "ta_conv2d_s8.h"

#include <string.h>

#include "ta_conv_s8_common.h"
#include "ta_quant.h"

/* Cortex-M with the DSP extension (M4, M7, M33, M55): two 16-bit multiply-accumulates per SMLAD. The
 * integer sums are the same as the portable loop's; only the instruction count changes. */
#if defined(__ARM_FEATURE_DSP) && __ARM_FEATURE_DSP == 1
#include <arm_acle.h>
#define TA_CONV_USE_SMLAD 1

static inline uint32_t ta_load_u32(const int8_t *p)
{
    uint32_t w;
    memcpy(&w, p, sizeof w); /* unaligned-safe; a single LDR on Cortex-M */
    return w;
}

static inline uint32_t ta_ror8(uint32_t w)
{
    return (w >> 8) | (w << 24);
}

/* acc + sum of the four byte products of x and f (bytes 0/2 and 1/3 paired by SXTB16). */
static inline int32_t ta_dot4_smlad(int16x2_t x_even, int16x2_t x_odd, uint32_t f, int32_t acc)
{
    acc = __smlad(__sxtb16((int8x4_t)f), x_even, acc);
    return __smlad(__sxtb16((int8x4_t)ta_ror8(f)), x_odd, acc);
}
#endif

/* One output channel's dot product over the valid taps of one output pixel. The sum is split as
 * sum(f * x) + input_offset * sum(f): the same integer as TFLM's sum(f * (x + input_offset)). */
static int32_t ta_conv_dot(const int8_t *restrict in_px, const int8_t *restrict f, int32_t n, int32_t input_offset)
{
    int32_t acc = 0;
    int32_t filter_sum = 0;
    for (int32_t i = 0; i < n; ++i) {
        acc += (int32_t)f[i] * (int32_t)in_px[i];
        filter_sum += f[i];
    }
    return acc + filter_sum * input_offset;
}

static int32_t ta_filter_sum(const int8_t *f, int32_t n)
{
    int32_t sum = 0;
    for (int32_t i = 0; i < n; ++i) {
        sum += f[i];
    }
    return sum;
}

/* 1x1, stride 1, no padding, no groups: a matrix product of [pixels x in_c] by [out_c x in_c].
 * Output channels go four at a time so each input value is loaded once per four products, and each
 * filter sum (for the input offset) is computed once per call instead of once per pixel. */
static void ta_conv2d_s8_pointwise(const ta_conv2d_s8_params_t *p, const int8_t *restrict input,
                                   const int8_t *restrict filter, const int32_t *restrict bias,
                                   int8_t *restrict output)
{
    const int32_t pixels = p->batches * p->output_h * p->output_w;
    const int32_t in_c = p->input_c, out_c = p->output_c;
    const int32_t input_offset = p->input_offset, output_offset = p->output_offset;
    const int32_t act_min = p->activation_min, act_max = p->activation_max;
    const int32_t *multiplier = p->output_multiplier;
    const int32_t *shift = p->output_shift;
    int32_t oc = 0;
    for (; oc + 4 <= out_c; oc += 4) {
        const int8_t *f0 = filter + oc * in_c;
        const int8_t *f1 = f0 + in_c;
        const int8_t *f2 = f1 + in_c;
        const int8_t *f3 = f2 + in_c;
        const int32_t off0 = ta_filter_sum(f0, in_c) * input_offset;
        const int32_t off1 = ta_filter_sum(f1, in_c) * input_offset;
        const int32_t off2 = ta_filter_sum(f2, in_c) * input_offset;
        const int32_t off3 = ta_filter_sum(f3, in_c) * input_offset;
        for (int32_t px = 0; px < pixels; ++px) {
            const int8_t *x = input + px * in_c;
            int32_t a0 = 0, a1 = 0, a2 = 0, a3 = 0;
            for (int32_t i = 0; i < in_c; ++i) {
                const int32_t v = x[i];
                a0 += f0[i] * v;
                a1 += f1[i] * v;
                a2 += f2[i] * v;
                a3 += f3[i] * v;
            }
            int8_t *out = output + px * out_c + oc;
            out[0] = ta_conv_requantize(a0 + off0, bias, oc, multiplier[oc], shift[oc], output_offset, act_min,
                                        act_max);
            out[1] = ta_conv_requantize(a1 + off1, bias, oc + 1, multiplier[oc + 1], shift[oc + 1], output_offset,
                                        act_min, act_max);
            out[2] = ta_conv_requantize(a2 + off2, bias, oc + 2, multiplier[oc + 2], shift[oc + 2], output_offset,
                                        act_min, act_max);
            out[3] = ta_conv_requantize(a3 + off3, bias, oc + 3, multiplier[oc + 3], shift[oc + 3], output_offset,
                                        act_min, act_max);
        }
    }
    for (; oc < out_c; ++oc) {
        const int8_t *f = filter + oc * in_c;
        const int32_t off = ta_filter_sum(f, in_c) * input_offset;
        for (int32_t px = 0; px < pixels; ++px) {
            const int8_t *x = input + px * in_c;
            int32_t a = 0;
            for (int32_t i = 0; i < in_c; ++i) {
                a += f[i] * (int32_t)x[i];
            }
            output[px * out_c + oc] = ta_conv_requantize(a + off, bias, oc, multiplier[oc], shift[oc], output_offset,
                                                         act_min, act_max);
        }
    }
}

/* Ungrouped convolution with dilation_w == 1: for one output pixel, each valid filter row meets a
 * contiguous run of input bytes (valid columns x channels), so the taps of a row are one dot product.
 * Output channels go four at a time to share the input loads. */
static void ta_conv2d_s8_rows(const ta_conv2d_s8_params_t *p, const int8_t *restrict input,
                              const int8_t *restrict filter, const int32_t *restrict bias, int8_t *restrict output)
{
    const int32_t in_h = p->input_h, in_w = p->input_w, in_c = p->input_c;
    const int32_t f_h = p->filter_h, f_w = p->filter_w;
    const int32_t out_h = p->output_h, out_w = p->output_w, out_c = p->output_c;
    const int32_t stride_h = p->stride_h, stride_w = p->stride_w, dil_h = p->dilation_h;
    const int32_t pad_h = p->pad_h, pad_w = p->pad_w;
    const int32_t input_offset = p->input_offset, output_offset = p->output_offset;
    const int32_t act_min = p->activation_min, act_max = p->activation_max;
    const int32_t *multiplier = p->output_multiplier;
    const int32_t *shift = p->output_shift;
    const int32_t filter_stride = f_h * f_w * in_c;

    for (int32_t b = 0; b < p->batches; ++b) {
        const int8_t *in_batch = input + b * in_h * in_w * in_c;
        for (int32_t out_y = 0; out_y < out_h; ++out_y) {
            const int32_t in_y_origin = out_y * stride_h - pad_h;
            for (int32_t out_x = 0; out_x < out_w; ++out_x) {
                const int32_t in_x_origin = out_x * stride_w - pad_w;
                const int32_t fx_start = in_x_origin < 0 ? -in_x_origin : 0;
                const int32_t fx_end = in_x_origin + f_w > in_w ? in_w - in_x_origin : f_w;
                const int32_t run = (fx_end - fx_start) * in_c; /* contiguous bytes per filter row */
                int8_t *out_px = output + ((b * out_h + out_y) * out_w + out_x) * out_c;
                int32_t oc = 0;
                for (; oc < out_c; oc += 4) {
                    const int32_t lanes = out_c - oc < 4 ? out_c - oc : 4;
                    int32_t acc[4] = {0, 0, 0, 0};
                    int32_t fsum[4] = {0, 0, 0, 0};
                    for (int32_t fy = 0; fy < f_h && run > 0; ++fy) {
                        const int32_t in_y = in_y_origin + dil_h * fy;
                        if (in_y < 0 || in_y >= in_h) {
                            continue;
                        }
                        const int8_t *x = in_batch + (in_y * in_w + in_x_origin + fx_start) * in_c;
                        const int8_t *f0 = filter + oc * filter_stride + (fy * f_w + fx_start) * in_c;
                        if (lanes == 4) {
                            const int8_t *f1 = f0 + filter_stride;
                            const int8_t *f2 = f1 + filter_stride;
                            const int8_t *f3 = f2 + filter_stride;
                            for (int32_t i = 0; i < run; ++i) {
                                const int32_t v = x[i];
                                acc[0] += f0[i] * v;
                                acc[1] += f1[i] * v;
                                acc[2] += f2[i] * v;
                                acc[3] += f3[i] * v;
                                fsum[0] += f0[i];
                                fsum[1] += f1[i];
                                fsum[2] += f2[i];
                                fsum[3] += f3[i];
                            }
                        } else {
                            for (int32_t l = 0; l < lanes; ++l) {
                                const int8_t *f = f0 + l * filter_stride;
                                for (int32_t i = 0; i < run; ++i) {
                                    acc[l] += f[i] * (int32_t)x[i];
                                    fsum[l] += f[i];
                                }
                            }
                        }
                    }
                    for (int32_t l = 0; l < lanes; ++l) {
                        /* sum(f * x) + offset * sum(f) == TFLM's sum(f * (x + offset)) */
                        out_px[oc + l] = ta_conv_requantize(acc[l] + fsum[l] * input_offset, bias, oc + l,
                                                            multiplier[oc + l], shift[oc + l], output_offset,
                                                            act_min, act_max);
                    }
                }
            }
        }
    }
}

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

    /* Locals: the int8 output may alias anything, so fields read through `p` would be reloaded. */
    const int32_t in_h = p->input_h, in_w = p->input_w, in_c = p->input_c;
    const int32_t f_h = p->filter_h, f_w = p->filter_w, f_c = p->filter_c;
    const int32_t out_h = p->output_h, out_w = p->output_w, out_c = p->output_c;
    const int32_t stride_h = p->stride_h, stride_w = p->stride_w;
    const int32_t dil_h = p->dilation_h, dil_w = p->dilation_w;
    const int32_t pad_h = p->pad_h, pad_w = p->pad_w;
    const int32_t input_offset = p->input_offset, output_offset = p->output_offset;
    const int32_t act_min = p->activation_min, act_max = p->activation_max;
    const int32_t *multiplier = p->output_multiplier;
    const int32_t *shift = p->output_shift;
    const int32_t groups = in_c / f_c;
    const int32_t filters_per_group = out_c / groups;
    const int32_t filter_stride = f_h * f_w * f_c;
    /* A 1x1, stride-1, unpadded, ungrouped convolution is a matrix product over whole pixels. */
    const int pointwise = f_h == 1 && f_w == 1 && stride_h == 1 && stride_w == 1 && pad_h == 0 && pad_w == 0 &&
                          groups == 1 && out_h == in_h && out_w == in_w;

    if (pointwise) {
        ta_conv2d_s8_pointwise(p, input, filter, bias, output);
        return TA_OK;
    }
    if (groups == 1 && dil_w == 1) {
        ta_conv2d_s8_rows(p, input, filter, bias, output);
        return TA_OK;
    }
    for (int32_t b = 0; b < p->batches; ++b) {
        const int8_t *in_batch = input + b * in_h * in_w * in_c;
        for (int32_t out_y = 0; out_y < out_h; ++out_y) {
            const int32_t in_y_origin = out_y * stride_h - pad_h;
            for (int32_t out_x = 0; out_x < out_w; ++out_x) {
                const int32_t in_x_origin = out_x * stride_w - pad_w;
                int8_t *out_px = output + ((b * out_h + out_y) * out_w + out_x) * out_c;
                for (int32_t oc = 0; oc < out_c; ++oc) {
                    const int8_t *filt = filter + oc * filter_stride;
                    const int32_t group_base = (oc / filters_per_group) * f_c;
                    int32_t acc = 0;
                    for (int32_t fy = 0; fy < f_h; ++fy) {
                        const int32_t in_y = in_y_origin + dil_h * fy;
                        if (in_y < 0 || in_y >= in_h) {
                            continue;
                        }
                        for (int32_t fx = 0; fx < f_w; ++fx) {
                            const int32_t in_x = in_x_origin + dil_w * fx;
                            if (in_x < 0 || in_x >= in_w) {
                                continue;
                            }
                            acc += ta_conv_dot(in_batch + (in_y * in_w + in_x) * in_c + group_base,
                                               filt + (fy * f_w + fx) * f_c, f_c, input_offset);
                        }
                    }
                    out_px[oc] = ta_conv_requantize(acc, bias, oc, multiplier[oc], shift[oc], output_offset, act_min,
                                                    act_max);
                }
            }
        }
    }
    return TA_OK;
}

ta_status_t ta_conv2d_s8_pointwise_inplace(const ta_conv2d_s8_params_t *p, const int8_t *input,
                                           const int8_t *filter, const int32_t *bias_with_offset,
                                           int8_t *output, int8_t *scratch)
{
    TA_PRECONDITION(p != 0 && input != 0 && filter != 0 && bias_with_offset != 0, TA_ERR_NULL);
    TA_PRECONDITION(output != 0 && scratch != 0, TA_ERR_NULL);
    TA_PRECONDITION(p->output_multiplier != 0 && p->output_shift != 0, TA_ERR_NULL);
    TA_PRECONDITION(p->batches > 0 && p->input_h > 0 && p->input_w > 0 && p->input_c > 0, TA_ERR_SHAPE);
    TA_PRECONDITION(p->filter_h == 1 && p->filter_w == 1 && p->filter_c == p->input_c, TA_ERR_UNSUPPORTED);
    TA_PRECONDITION(p->stride_h == 1 && p->stride_w == 1 && p->pad_h == 0 && p->pad_w == 0, TA_ERR_UNSUPPORTED);
    TA_PRECONDITION(p->output_h == p->input_h && p->output_w == p->input_w, TA_ERR_UNSUPPORTED);
    TA_PRECONDITION(p->output_c > 0 && p->output_c <= p->input_c, TA_ERR_UNSUPPORTED);
    TA_PRECONDITION(p->activation_min <= p->activation_max, TA_ERR_PARAM);

    const int32_t pixels = p->batches * p->input_h * p->input_w;
    const int32_t in_c = p->input_c, out_c = p->output_c;
    const int32_t output_offset = p->output_offset;
    const int32_t act_min = p->activation_min, act_max = p->activation_max;
    const int32_t *multiplier = p->output_multiplier;
    const int32_t *shift = p->output_shift;
    for (int32_t px = 0; px < pixels; ++px) {
        /* Output pixel px overlaps only input bytes of pixels <= px (out_c <= in_c): copy pixel px first. */
        const int8_t *src = input + px * in_c;
        for (int32_t i = 0; i < in_c; ++i) {
            scratch[i] = src[i];
        }
        int8_t *out = output + px * out_c;
        int32_t oc = 0;
        for (; oc + 4 <= out_c; oc += 4) {
            const int8_t *f0 = filter + oc * in_c;
            const int8_t *f1 = f0 + in_c;
            const int8_t *f2 = f1 + in_c;
            const int8_t *f3 = f2 + in_c;
            int32_t a0 = 0, a1 = 0, a2 = 0, a3 = 0;
            int32_t i = 0;
#ifdef TA_CONV_USE_SMLAD
            for (; i + 4 <= in_c; i += 4) {
                const uint32_t xw = ta_load_u32(scratch + i);
                const int16x2_t x_even = __sxtb16((int8x4_t)xw);
                const int16x2_t x_odd = __sxtb16((int8x4_t)ta_ror8(xw));
                a0 = ta_dot4_smlad(x_even, x_odd, ta_load_u32(f0 + i), a0);
                a1 = ta_dot4_smlad(x_even, x_odd, ta_load_u32(f1 + i), a1);
                a2 = ta_dot4_smlad(x_even, x_odd, ta_load_u32(f2 + i), a2);
                a3 = ta_dot4_smlad(x_even, x_odd, ta_load_u32(f3 + i), a3);
            }
#endif
            for (; i < in_c; ++i) {
                const int32_t v = scratch[i];
                a0 += f0[i] * v;
                a1 += f1[i] * v;
                a2 += f2[i] * v;
                a3 += f3[i] * v;
            }
            out[oc] = ta_conv_requantize(a0, bias_with_offset, oc, multiplier[oc], shift[oc], output_offset,
                                         act_min, act_max);
            out[oc + 1] = ta_conv_requantize(a1, bias_with_offset, oc + 1, multiplier[oc + 1], shift[oc + 1],
                                             output_offset, act_min, act_max);
            out[oc + 2] = ta_conv_requantize(a2, bias_with_offset, oc + 2, multiplier[oc + 2], shift[oc + 2],
                                             output_offset, act_min, act_max);
            out[oc + 3] = ta_conv_requantize(a3, bias_with_offset, oc + 3, multiplier[oc + 3], shift[oc + 3],
                                             output_offset, act_min, act_max);
        }
        for (; oc < out_c; ++oc) {
            const int8_t *f = filter + oc * in_c;
            int32_t a = 0;
            for (int32_t i = 0; i < in_c; ++i) {
                a += f[i] * (int32_t)scratch[i];
            }
            out[oc] = ta_conv_requantize(a, bias_with_offset, oc, multiplier[oc], shift[oc], output_offset, act_min,
                                         act_max);
        }
    }
    return TA_OK;
}
