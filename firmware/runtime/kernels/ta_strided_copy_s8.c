#include "ta_strided_copy_s8.h"

ta_status_t ta_copy_strided_s8(const ta_strided_view_t *view, const int8_t *input, int8_t *output)
{
    int32_t index[TA_MAX_DIMS] = {0};
    int32_t total = 1;
    int32_t base;
    int32_t done;
    int32_t inner;
    int32_t step;
    int32_t d;
    TA_PRECONDITION(view != 0 && input != 0 && output != 0, TA_ERR_NULL);
    TA_PRECONDITION(view->ndim >= 1 && view->ndim <= TA_MAX_DIMS, TA_ERR_SHAPE);
    for (d = 0; d < view->ndim; ++d) {
        TA_PRECONDITION(view->dims[d] >= 0, TA_ERR_SHAPE);
        total *= view->dims[d];
    }
    if (total == 0) {
        return TA_OK;
    }
    base = view->offset;
    inner = view->dims[view->ndim - 1];
    step = view->strides[view->ndim - 1];
    for (done = 0; done < total; done += inner) {
        int32_t i;
        if (step == 1) {
            for (i = 0; i < inner; ++i) {
                output[done + i] = input[base + i];
            }
        } else {
            for (i = 0; i < inner; ++i) {
                output[done + i] = input[base + i * step];
            }
        }
        for (d = view->ndim - 2; d >= 0; --d) {
            index[d] += 1;
            base += view->strides[d];
            if (index[d] < view->dims[d]) {
                break;
            }
            base -= view->strides[d] * view->dims[d];
            index[d] = 0;
        }
    }
    return TA_OK;
}
