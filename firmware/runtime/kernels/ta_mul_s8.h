/* MUL, int8, with broadcasting: bit-exact with TFLite Micro's reference integer Mul. */
#ifndef TA_MUL_S8_H
#define TA_MUL_S8_H

#include <stdint.h>

#include "ta_broadcast.h"
#include "ta_status.h"

typedef struct {
    int32_t input1_offset;      /* -input1 zero point */
    int32_t input2_offset;      /* -input2 zero point */
    int32_t output_offset;      /* output zero point */
    int32_t output_multiplier;  /* QuantizeMultiplier(s1 * s2 / s_out) */
    int32_t output_shift;
    int32_t activation_min;
    int32_t activation_max;
} ta_mul_s8_params_t;

/* out = in1 * in2 over the output shape in `shape`. */
ta_status_t ta_mul_s8(const ta_mul_s8_params_t *params, const ta_broadcast_t *shape, const int8_t *in1,
                      const int8_t *in2, int8_t *out);

#endif /* TA_MUL_S8_H */
