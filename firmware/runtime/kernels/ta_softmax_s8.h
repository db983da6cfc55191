/* SOFTMAX, int8 input, int8 or int16 output: bit-exact with TFLite Micro's reference_ops::Softmax
 * (gemmlowp fixed point: input differences scaled to Q5.26, exp_on_negative_values, sum in Q12.19,
 * reciprocal by Newton-Raphson). Output quantization is fixed by TFLite: int8 scale 1/256 zero point
 * -128, int16 scale 1/65536 zero point -32768. Rows are the last dimension. */
#ifndef TA_SOFTMAX_S8_H
#define TA_SOFTMAX_S8_H

#include <stdint.h>

#include "ta_status.h"

typedef struct {
    int32_t outer_size;       /* number of rows */
    int32_t depth;            /* row length (last dimension) */
    int32_t input_multiplier; /* PreprocessSoftmaxScaling(beta, input_scale, 5) */
    int32_t input_left_shift;
    int32_t diff_min;         /* -CalculateInputRadius(5, input_left_shift) */
} ta_softmax_s8_params_t;

ta_status_t ta_softmax_s8(const ta_softmax_s8_params_t *params, const int8_t *input, int8_t *output);

ta_status_t ta_softmax_s8_s16(const ta_softmax_s8_params_t *params, const int8_t *input, int16_t *output);

#endif /* TA_SOFTMAX_S8_H */
