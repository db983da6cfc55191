#include "ta_add_s8.h"

static inline int8_t add_one(const void *params, int8_t a, int8_t b)
{
    return ta_add_sub_s8_one((const ta_add_s8_params_t *)params, a, b, 1);
}

ta_status_t ta_add_s8(const ta_add_s8_params_t *params, const ta_broadcast_t *shape, const int8_t *in1,
                      const int8_t *in2, int8_t *out)
{
    TA_PRECONDITION(params != 0 && shape != 0 && in1 != 0 && in2 != 0 && out != 0, TA_ERR_NULL);
    TA_PRECONDITION(ta_add_s8_params_ok(params), TA_ERR_PARAM);
    return ta_elementwise_binary_s8(shape, in1, in2, out, add_one, params);
}
