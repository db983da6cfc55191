/* ABS, int8: bit-exact with TFLite Micro's AbsEvalQuantized (|x - zp_in| requantized when the scales
 * differ, shifted by the output zero point otherwise). */
#ifndef TA_ABS_S8_H
#define TA_ABS_S8_H

#include <stdint.h>

#include "ta_status.h"

typedef struct {
    int32_t input_zero_point;
    int32_t output_zero_point;
    int32_t needs_rescale; /* input scale != output scale */
    int32_t multiplier;    /* QuantizeMultiplier((float)(s_in / s_out)) when rescaling */
    int32_t shift;
} ta_abs_s8_params_t;

ta_status_t ta_abs_s8(const ta_abs_s8_params_t *params, const int8_t *input, int8_t *output, int32_t size);

#endif /* TA_ABS_S8_H */
