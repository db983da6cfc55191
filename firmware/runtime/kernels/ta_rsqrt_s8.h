/* RSQRT, int8: bit-exact with TFLite Micro's elementwise RsqrtEvalQuantized.
 *
 * Per element: v = x - zp_in; v == 0 gives 127; otherwise TFLite's Newton-Raphson inverse square root
 * (GetInvSqrtQuantizedMultiplierExp) followed by two requantizations. Negative v is an error in TFLM
 * ("Rsqrt is only defined for positive values") and here (TA_ERR_PARAM, output then incomplete). */
#ifndef TA_RSQRT_S8_H
#define TA_RSQRT_S8_H

#include <stdint.h>

#include "ta_status.h"

typedef struct {
    int32_t input_zero_point;
    int32_t output_zero_point;
    int32_t multiplier;  /* QuantizeMultiplier(1 / (sqrtf(s_in) * s_out)) */
    int32_t shift;
} ta_rsqrt_s8_params_t;

ta_status_t ta_rsqrt_s8(const ta_rsqrt_s8_params_t *params, const int8_t *input, int8_t *output, int32_t size);

#endif /* TA_RSQRT_S8_H */
