#include "ta_maximum_s8.h"

ta_status_t ta_maximum_s8(const ta_broadcast_t *shape, const int8_t *in1, const int8_t *in2, int8_t *out)
{
    int32_t index[TA_MAX_DIMS] = {0};
    int32_t off1 = 0;
    int32_t off2 = 0;
    int32_t total;
    int32_t done;
    int32_t inner;
    int32_t s1;
    int32_t s2;
    TA_PRECONDITION(shape != 0 && in1 != 0 && in2 != 0 && out != 0, TA_ERR_NULL);
    total = ta_broadcast_count(shape);
    TA_PRECONDITION(total > 0, TA_ERR_SHAPE);
    inner = shape->dims[shape->ndim - 1];
    s1 = shape->strides1[shape->ndim - 1];
    s2 = shape->strides2[shape->ndim - 1];
    for (done = 0; done < total; done += inner) {
        int32_t i;
        for (i = 0; i < inner; ++i) {
            const int8_t a = in1[off1 + i * s1];
            const int8_t b = in2[off2 + i * s2];
            out[done + i] = a > b ? a : b;
        }
        ta_broadcast_next_outer(shape, index, &off1, &off2);
    }
    return TA_OK;
}
