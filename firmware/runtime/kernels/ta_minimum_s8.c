#include "ta_minimum_s8.h"

#include "ta_elementwise_s8.h"

static inline int8_t minimum_one(const void *params, int8_t a, int8_t b)
{
    (void)params;
    return a < b ? a : b;
}

ta_status_t ta_minimum_s8(const ta_broadcast_t *shape, const int8_t *in1, const int8_t *in2, int8_t *out)
{
    TA_PRECONDITION(shape != 0 && in1 != 0 && in2 != 0 && out != 0, TA_ERR_NULL);
    return ta_elementwise_binary_s8(shape, in1, in2, out, minimum_one, 0);
}
