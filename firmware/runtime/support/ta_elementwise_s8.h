/* Shared by the int8 two-input element-wise kernels (ADD, SUB, MUL, SQUARED_DIFFERENCE, MAXIMUM,
 * MINIMUM): the broadcast walk over the output.
 *
 * Each kernel keeps its own entry point and parameter checks and passes its per-element function.
 * The walk is static inline and every kernel calls it once with a constant function, so the compiler
 * inlines both: the inner loop is the same code as a hand-written one (no call per element). */
#ifndef TA_ELEMENTWISE_S8_H
#define TA_ELEMENTWISE_S8_H

#include <stdint.h>

#include "ta_broadcast.h"
#include "ta_status.h"

/* One output element from one element of each input; `params` is the kernel's parameter struct. */
typedef int8_t (*ta_binary_s8_fn)(const void *params, int8_t a, int8_t b);

/* out[k] = fn(params, in1[..], in2[..]) over the output of `shape` in row-major order (the inputs'
 * strides give the broadcast). Pointers are the caller's to check; an invalid shape is TA_ERR_SHAPE. */
static inline ta_status_t ta_elementwise_binary_s8(const ta_broadcast_t *shape, const int8_t *in1,
                                                   const int8_t *in2, int8_t *out, ta_binary_s8_fn fn,
                                                   const void *params)
{
    int32_t index[TA_MAX_DIMS] = {0};
    int32_t off1 = 0;
    int32_t off2 = 0;
    int32_t total;
    int32_t done;
    int32_t inner;
    int32_t s1;
    int32_t s2;
    total = ta_broadcast_count(shape);
    TA_PRECONDITION(total > 0, TA_ERR_SHAPE);
    inner = shape->dims[shape->ndim - 1];
    s1 = shape->strides1[shape->ndim - 1];
    s2 = shape->strides2[shape->ndim - 1];
    for (done = 0; done < total; done += inner) {
        int32_t i;
        for (i = 0; i < inner; ++i) {
            out[done + i] = fn(params, in1[off1 + i * s1], in2[off2 + i * s2]);
        }
        ta_broadcast_next_outer(shape, index, &off1, &off2);
    }
    return TA_OK;
}

#endif /* TA_ELEMENTWISE_S8_H */
