/* ADD, int8, with broadcasting: bit-exact with TFLite Micro's reference integer Add.
 *
 * Parameters are what TFLM's CalculateOpDataAdd computes in Prepare (left_shift 20, three multipliers
 * from QuantizeMultiplierSmallerThanOneExp, the fused-activation range); the compiler fills them in. */
#ifndef TA_ADD_S8_H
#define TA_ADD_S8_H

#include <stdint.h>

#include "ta_broadcast.h"
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

/* out = in1 + in2 over the output shape in `shape` (strides give the broadcast). */
ta_status_t ta_add_s8(const ta_add_s8_params_t *params, const ta_broadcast_t *shape, const int8_t *in1,
                      const int8_t *in2, int8_t *out);

#endif /* TA_ADD_S8_H */
