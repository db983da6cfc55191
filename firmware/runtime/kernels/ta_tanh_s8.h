/* TANH, int8: bit-exact with TFLite Micro's reference_integer_ops::Tanh (gemmlowp fixed-point tanh on a
 * Q4.27 input; output written as Q0.7, i.e. scale 1/128, zero point 0). */
#ifndef TA_TANH_S8_H
#define TA_TANH_S8_H

#include <stdint.h>

#include "ta_status.h"

typedef struct {
    int32_t input_zero_point;
    int32_t input_range_radius; /* CalculateInputRadius(4, input_left_shift, 31) */
    int32_t input_multiplier;   /* round(frexp(s_in * 2^27).mantissa * 2^31) */
    int32_t input_left_shift;   /* frexp exponent */
} ta_tanh_s8_params_t;

ta_status_t ta_tanh_s8(const ta_tanh_s8_params_t *params, const int8_t *input, int8_t *output, int32_t size);

#endif /* TA_TANH_S8_H */
