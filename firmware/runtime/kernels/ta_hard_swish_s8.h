/* HARD_SWISH, int8: bit-exact with TFLite's reference HardSwish for int8 (16-bit fixed point: the input
 * on a "hires" scale, a saturating "relu-ish" multiplier in [0, 1], one rounding at the end). */
#ifndef TA_HARD_SWISH_S8_H
#define TA_HARD_SWISH_S8_H

#include <stdint.h>

#include "ta_status.h"

typedef struct {
    int32_t input_zero_point;
    int32_t output_zero_point;
    int32_t reluish_multiplier_fixedpoint_int16; /* Q0.15 */
    int32_t reluish_multiplier_exponent;
    int32_t output_multiplier_fixedpoint_int16;  /* Q0.15 */
    int32_t output_multiplier_exponent;          /* <= 0 */
} ta_hard_swish_s8_params_t;

ta_status_t ta_hard_swish_s8(const ta_hard_swish_s8_params_t *params, const int8_t *input, int8_t *output,
                             int32_t size);

#endif /* TA_HARD_SWISH_S8_H */
