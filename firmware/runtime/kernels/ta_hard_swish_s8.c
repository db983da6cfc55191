#include "ta_hard_swish_s8.h"

#include "ta_quant.h"

/* gemmlowp SaturatingRoundingDoublingHighMul for int16. */
static int16_t srdhm16(int16_t a, int16_t b)
{
    int32_t ab;
    int32_t nudge;
    if (a == b && a == INT16_MIN) {
        return INT16_MAX;
    }
    ab = (int32_t)a * (int32_t)b;
    nudge = ab >= 0 ? (1 << 14) : (1 - (1 << 14));
    return (int16_t)((ab + nudge) / (1 << 15)); /* C99 division truncates, as in C++ */
}

/* TFLite SaturatingDoublingHighMul for int16 (no rounding nudge). */
static int16_t sdhm16(int16_t a, int16_t b)
{
    if (a == b && a == INT16_MIN) {
        return INT16_MAX;
    }
    return (int16_t)(((int32_t)a * (int32_t)b) / (1 << 15));
}

static int16_t saturating_left_shift16(int16_t value, int amount)
{
    return (int16_t)ta_clamp_i32((int32_t)value * ((int32_t)1 << amount), INT16_MIN, INT16_MAX);
}

/* gemmlowp RoundingDivideByPOT on int16 values (computed in int32, same result). */
static int16_t rounding_divide_by_pot16(int16_t x, int exponent)
{
    return (int16_t)ta_rounding_divide_by_pot(x, exponent);
}

ta_status_t ta_hard_swish_s8(const ta_hard_swish_s8_params_t *params, const int8_t *input, int8_t *output,
                             int32_t size)
{
    int reluish_exp;
    int32_t i;
    TA_PRECONDITION(params != 0 && input != 0 && output != 0, TA_ERR_NULL);
    reluish_exp = (int)params->reluish_multiplier_exponent;
    TA_PRECONDITION(size >= 0, TA_ERR_SHAPE);
    TA_PRECONDITION(params->output_multiplier_exponent <= 0 && params->output_multiplier_exponent >= -31 &&
                        reluish_exp >= -31 && reluish_exp <= 15,
                    TA_ERR_PARAM);
    for (i = 0; i < size; ++i) {
        const int16_t in_value = (int16_t)((int32_t)input[i] - params->input_zero_point);
        const int16_t hires = (int16_t)(in_value * (1 << 7));
        const int16_t on_output_scale =
            srdhm16(hires, (int16_t)params->output_multiplier_fixedpoint_int16);
        int16_t reluish = hires;
        int16_t pre;
        int32_t out;
        if (reluish_exp > 0) {
            reluish = saturating_left_shift16(reluish, reluish_exp - 1);
        }
        reluish = srdhm16(reluish, (int16_t)params->reluish_multiplier_fixedpoint_int16);
        if (reluish_exp > 0) {
            reluish = saturating_left_shift16(reluish, 1);
        }
        if (reluish_exp < 0) {
            reluish = rounding_divide_by_pot16(reluish, -reluish_exp);
        }
        /* [-1, 1] -> [0, 1] in Q0.15 */
        reluish = (int16_t)(((int32_t)reluish + (1 << 15)) >> 1);
        pre = sdhm16(reluish, on_output_scale);
        out = (int32_t)rounding_divide_by_pot16(pre, -(int)params->output_multiplier_exponent);
        out = (int16_t)(out + params->output_zero_point);
        output[i] = (int8_t)ta_clamp_i32(out, -128, 127);
    }
    return TA_OK;
}
