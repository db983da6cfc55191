/* Shared by LOGISTIC and TANH (int8): TFLM's input stage of both. Inputs farther than the range
 * radius from the zero point saturate to -128 / 127; the others are rescaled to Q4.27 and passed to
 * the op's fixed-point function, which returns the int8 output. */
#ifndef TA_Q4_ACTIVATION_S8_H
#define TA_Q4_ACTIVATION_S8_H

#include <stdint.h>

#include "ta_quant.h"
#include "ta_status.h"

/* int8 output of one Q4.27 input. */
typedef int8_t (*ta_q4_activation_s8_fn)(int32_t in_q4);

/* Static inline: each kernel calls it once with a constant `fn`, so both inline into its loop. */
static inline ta_status_t ta_q4_activation_s8(int32_t input_zero_point, int32_t input_range_radius,
                                              int32_t input_multiplier, int32_t input_left_shift,
                                              const int8_t *input, int8_t *output, int32_t size,
                                              ta_q4_activation_s8_fn fn)
{
    int32_t i;
    TA_PRECONDITION(size >= 0, TA_ERR_SHAPE);
    TA_PRECONDITION(input_left_shift >= -31 && input_left_shift <= 30, TA_ERR_PARAM);
    for (i = 0; i < size; ++i) {
        const int32_t x = (int32_t)input[i] - input_zero_point;
        if (x <= -input_range_radius) {
            output[i] = -128;
        } else if (x >= input_range_radius) {
            output[i] = 127;
        } else {
            output[i] = fn(ta_multiply_by_quantized_multiplier(x, input_multiplier, input_left_shift));
        }
    }
    return TA_OK;
}

#endif /* TA_Q4_ACTIVATION_S8_H */
