/* Shared by the int8 convolution-like kernels (CONV_2D, DEPTHWISE_CONV_2D, FULLY_CONNECTED): the
 * output stage and the clipping of a filter window to the input. Static inline, so each kernel's
 * loops compile as if the code were written out in them. */
#ifndef TA_CONV_S8_COMMON_H
#define TA_CONV_S8_COMMON_H

#include <stdint.h>

#include "ta_quant.h"

/* Output channel `oc` from its int32 sum (input offset already applied): + bias[oc] when there is a
 * bias, requantized with that channel's multiplier and shift, + output offset, clamped to the
 * fused activation range -- TFLM's per-channel output stage. */
static inline int8_t ta_conv_requantize(int32_t acc, const int32_t *bias, int32_t oc, int32_t multiplier,
                                        int32_t shift, int32_t output_offset, int32_t act_min, int32_t act_max)
{
    if (bias != 0) {
        acc += bias[oc];
    }
    acc = ta_multiply_by_quantized_multiplier(acc, multiplier, shift) + output_offset;
    return (int8_t)ta_clamp_i32(acc, act_min, act_max);
}

/* The taps of a filter of `taps` taps, `dilation` apart from `origin`, that fall inside an input of
 * `size` cells are [ta_conv_first_tap, ta_conv_end_tap) (TFLM skips the others: they would read
 * zero-point padding). */
static inline int32_t ta_conv_first_tap(int32_t origin, int32_t dilation, int32_t taps)
{
    int32_t s = 0;
    while (s < taps && origin + dilation * s < 0) {
        ++s;
    }
    return s;
}

static inline int32_t ta_conv_end_tap(int32_t origin, int32_t dilation, int32_t taps, int32_t size, int32_t first)
{
    int32_t e = taps;
    while (e > first && origin + dilation * (e - 1) >= size) {
        --e;
    }
    return e;
}

#endif /* TA_CONV_S8_COMMON_H */
