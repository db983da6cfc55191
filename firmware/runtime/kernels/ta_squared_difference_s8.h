/* SQUARED_DIFFERENCE, int8, with broadcasting: bit-exact with TFLite Micro's quantized
 * SquaredDifference (inputs rescaled with left_shift 7 to a common scale, difference squared, then
 * one requantization with a general multiplier). */
#ifndef TA_SQUARED_DIFFERENCE_S8_H
#define TA_SQUARED_DIFFERENCE_S8_H

#include <stdint.h>

#include "ta_broadcast.h"
#include "ta_status.h"

typedef struct {
    int32_t input1_offset;      /* -input1 zero point */
    int32_t input2_offset;      /* -input2 zero point */
    int32_t output_offset;      /* output zero point */
    int32_t left_shift;         /* 7 for int8 */
    int32_t input1_multiplier;
    int32_t input1_shift;       /* <= 0 */
    int32_t input2_multiplier;
    int32_t input2_shift;       /* <= 0 */
    int32_t output_multiplier;  /* QuantizeMultiplier((2*max_s)^2 / (2^(2*left_shift) * s_out)) */
    int32_t output_shift;
} ta_squared_difference_s8_params_t;

/* out = (in1 - in2)^2 over the output shape in `shape`. */
ta_status_t ta_squared_difference_s8(const ta_squared_difference_s8_params_t *params,
                                     const ta_broadcast_t *shape, const int8_t *in1, const int8_t *in2,
                                     int8_t *out);

#endif /* TA_SQUARED_DIFFERENCE_S8_H */
