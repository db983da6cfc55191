/* ADD, int8, with broadcasting: bit-exact with TFLite Micro's reference integer Add.
 *
 * Parameters are what TFLM's CalculateOpDataAdd computes in Prepare (left_shift 20, three multipliers
 * from QuantizeMultiplierSmallerThanOneExp, the fused-activation range); the compiler fills them in. */
#ifndef TA_ADD_S8_H
#define TA_ADD_S8_H

#include <stdint.h>

#include "ta_broadcast.h"
#include "ta_elementwise_s8.h"
#include "ta_quant.h"
#include "ta_status.h"

typedef struct {
    int32_t input1_offset;     /* -input1 zero point */
    int32_t input2_offset;     /* -input2 zero point */
    int32_t output_offset;     /* output zero point */
    int32_t left_shift;        /* 20 for int8 */
    int32_t input1_multiplier;
    int32_t input1_shift;      /* <= 0 */
    int32_t input2_multiplier;
    int32_t input2_shift;      /* <= 0 */
    int32_t output_multiplier;
    int32_t output_shift;      /* <= 0 */
    int32_t activation_min;
    int32_t activation_max;
} ta_add_s8_params_t;

/* Shared with SUB (ta_sub_s8.c), which TFLM prepares exactly as ADD. */
static inline int32_t ta_add_s8_params_ok(const ta_add_s8_params_t *p)
{
    return p->left_shift >= 0 && p->left_shift <= 20 && p->input1_shift <= 0 && p->input1_shift >= -31 &&
           p->input2_shift <= 0 && p->input2_shift >= -31 && p->output_shift <= 0 &&
           p->output_shift >= -31 && p->activation_min >= -128 && p->activation_max <= 127 &&
           p->activation_min <= p->activation_max;
}

/* One element of ADD (sign 1) or SUB (sign -1): both inputs rescaled to a common scale, summed,
 * requantized to the output. */
static inline int8_t ta_add_sub_s8_one(const ta_add_s8_params_t *p, int8_t a, int8_t b, int32_t sign)
{
    const int32_t shifted1 = (p->input1_offset + a) * ((int32_t)1 << p->left_shift);
    const int32_t shifted2 = (p->input2_offset + b) * ((int32_t)1 << p->left_shift);
    const int32_t scaled1 =
        ta_multiply_by_quantized_multiplier_smaller_than_one_exp(shifted1, p->input1_multiplier, p->input1_shift);
    const int32_t scaled2 =
        ta_multiply_by_quantized_multiplier_smaller_than_one_exp(shifted2, p->input2_multiplier, p->input2_shift);
    const int32_t raw = ta_multiply_by_quantized_multiplier_smaller_than_one_exp(
                            scaled1 + sign * scaled2, p->output_multiplier, p->output_shift) +
                        p->output_offset;
    return (int8_t)ta_clamp_i32(raw, p->activation_min, p->activation_max);
}

/* out = in1 + in2 over the output shape in `shape` (strides give the broadcast). */
ta_status_t ta_add_s8(const ta_add_s8_params_t *params, const ta_broadcast_t *shape, const int8_t *in1,
                      const int8_t *in2, int8_t *out);

#endif /* TA_ADD_S8_H */
