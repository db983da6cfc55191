/* CONV_2D, int8 activations, int8 per-channel weights, int32 bias: bit-exact with TFLite Micro's
 * reference_integer_ops::ConvPerChannel.
 *
 * Layouts are TFLite's: input NHWC, filter [out_c][fh][fw][in_c / groups], output NHWC. The compiler
 * precomputes the paddings and the per-channel multipliers/shifts (PopulateConvolutionQuantizationParams). */
#ifndef TA_CONV2D_S8_H
#define TA_CONV2D_S8_H

#include <stdint.h>

#include "ta_status.h"

typedef struct {
    int32_t batches;
    int32_t input_h, input_w, input_c;
    int32_t filter_h, filter_w, filter_c; /* filter_c = input_c / groups */
    int32_t output_h, output_w, output_c;
    int32_t stride_h, stride_w;
    int32_t dilation_h, dilation_w;
    int32_t pad_h, pad_w; /* top/left padding */
    int32_t input_offset;  /* -input zero point */
    int32_t output_offset; /* output zero point */
    int32_t activation_min, activation_max;
    const int32_t *output_multiplier; /* [output_c] */
    const int32_t *output_shift;      /* [output_c], > 0 = left shift */
} ta_conv2d_s8_params_t;

/* `bias` may be NULL. */
ta_status_t ta_conv2d_s8(const ta_conv2d_s8_params_t *params, const int8_t *input, const int8_t *filter,
                         const int32_t *bias, int8_t *output);

/* 1x1, stride 1, unpadded, ungrouped CONV_2D with output_c <= input_c, also correct when `output` ==
 * `input`: each input pixel is copied to `scratch` (input_c bytes) before its output pixel is written.
 * `bias_with_offset` (required) is bias + input_offset * sum(filter row) per output channel, folded at
 * compile time: the same integer TFLM forms as sum(filter * (input + input_offset)) + bias. */
ta_status_t ta_conv2d_s8_pointwise_inplace(const ta_conv2d_s8_params_t *params, const int8_t *input,
                                           const int8_t *filter, const int32_t *bias_with_offset,
                                           int8_t *output, int8_t *scratch);

#endif /* TA_CONV2D_S8_H */
