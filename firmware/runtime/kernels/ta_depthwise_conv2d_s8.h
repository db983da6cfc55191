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

#endif /* TA_DEPTHWISE_CONV2D_S8_H */
