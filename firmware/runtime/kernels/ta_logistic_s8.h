/* LOGISTIC, int8: bit-exact with TFLite Micro's reference_integer_ops::Logistic (gemmlowp fixed-point
 * logistic on a Q4.27 input; output scale 1/256, zero point -128). */
#ifndef TA_LOGISTIC_S8_H
#define TA_LOGISTIC_S8_H

#include <stdint.h>

#include "ta_status.h"

typedef struct {
    int32_t input_zero_point;
    int32_t input_range_radius; /* CalculateInputRadius(4, input_left_shift, 31) */
    int32_t input_multiplier;   /* round(frexp(s_in * 2^27).mantissa * 2^31) */
    int32_t input_left_shift;   /* frexp exponent */
} ta_logistic_s8_params_t;

ta_status_t ta_logistic_s8(const ta_logistic_s8_params_t *params, const int8_t *input, int8_t *output,
                           int32_t size);

#endif /* TA_LOGISTIC_S8_H */
