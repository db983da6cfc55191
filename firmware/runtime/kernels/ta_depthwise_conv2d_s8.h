/* DEPTHWISE_CONV_2D, int8 activations, int8 per-channel weights, int32 bias: bit-exact with TFLite
 * Micro's reference_integer_ops::DepthwiseConvPerChannel.
 *
 * Layouts: input NHWC, filter [1][fh][fw][output_c], output NHWC with
 * output_c = input_c * depth_multiplier (output channel = in_channel * depth_multiplier + m). */
#ifndef TA_DEPTHWISE_CONV2D_S8_H
#define TA_DEPTHWISE_CONV2D_S8_H

#include <stdint.h>

#include "ta_status.h"

typedef struct {
    int32_t batches;
    int32_t input_h, input_w, input_c;
    int32_t filter_h, filter_w;
    int32_t output_h, output_w, output_c;
    int32_t depth_multiplier;
    int32_t stride_h, stride_w;
    int32_t dilation_h, dilation_w;
    int32_t pad_h, pad_w;
    int32_t input_offset;  /* -input zero point */
    int32_t output_offset; /* output zero point */
    int32_t activation_min, activation_max;
    const int32_t *output_multiplier; /* [output_c] */
    const int32_t *output_shift;      /* [output_c] */
} ta_depthwise_conv2d_s8_params_t;

/* `bias` may be NULL. */
ta_status_t ta_depthwise_conv2d_s8(const ta_depthwise_conv2d_s8_params_t *params, const int8_t *input,
                                   const int8_t *filter, const int32_t *bias, int8_t *output);

/* Bytes of scratch ta_depthwise_conv2d_s8_inplace needs: (pad_h + 1) input rows. */
#define TA_DEPTHWISE_CONV2D_S8_INPLACE_SCRATCH(pad_h, input_w, input_c) \
    ((int32_t)((pad_h) + 1) * (int32_t)(input_w) * (int32_t)(input_c))

/* The same operation, also correct when `output` == `input`: depth_multiplier 1, stride 1, dilation 1
 * and output size == input size (SAME padding). Rows the output has already overwritten are read from
 * a ring of the last pad_h + 1 input rows in `scratch`, so the layer needs no second activation buffer. */
ta_status_t ta_depthwise_conv2d_s8_inplace(const ta_depthwise_conv2d_s8_params_t *params, const int8_t *input,
                                           const int8_t *filter, const int32_t *bias, int8_t *output,
                                           int8_t *scratch);

#endif /* TA_DEPTHWISE_CONV2D_S8_H */
