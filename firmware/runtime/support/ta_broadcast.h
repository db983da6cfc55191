/* Shapes for int8 element-wise and copy kernels: an output odometer with per-input element strides.
 *
 * The compiler resolves broadcasting (and any permutation or slicing) at compile time into, per output
 * dimension, how far each input pointer moves when that output index advances (0 where the input is
 * broadcast). Kernels then walk the output in row-major order. TFLM's BroadcastXXX4DSlow/6DSlow and
 * its Transpose/StridedSlice visit every output element once with the same arithmetic per element,
 * so the order of the walk does not change any result. */
#ifndef TA_BROADCAST_H
#define TA_BROADCAST_H

#include <stdint.h>

#define TA_MAX_DIMS 6

typedef struct {
    int32_t ndim;                   /* 1..TA_MAX_DIMS */
    int32_t dims[TA_MAX_DIMS];      /* output dimensions, row-major */
    int32_t strides1[TA_MAX_DIMS];  /* input-1 element stride per output dim (0 = broadcast) */
    int32_t strides2[TA_MAX_DIMS];  /* input-2 element stride per output dim (0 = broadcast) */
} ta_broadcast_t;

/* Number of output elements; 0 if the shape is invalid (ndim out of range or a dim < 1). */
static inline int32_t ta_broadcast_count(const ta_broadcast_t *b)
{
    int32_t n = 1;
    int32_t d;
    if (b->ndim < 1 || b->ndim > TA_MAX_DIMS) {
        return 0;
    }
    for (d = 0; d < b->ndim; ++d) {
        if (b->dims[d] < 1) {
            return 0;
        }
        n *= b->dims[d];
    }
    return n;
}

/* Advances the odometer `index` over dims 0..ndim-2 (the innermost dim is walked by the caller) and
 * keeps the two input offsets in step. */
static inline void ta_broadcast_next_outer(const ta_broadcast_t *b, int32_t *index, int32_t *off1,
                                           int32_t *off2)
{
    int32_t d;
    for (d = b->ndim - 2; d >= 0; --d) {
        index[d] += 1;
        *off1 += b->strides1[d];
        *off2 += b->strides2[d];
        if (index[d] < b->dims[d]) {
            return;
        }
        *off1 -= b->strides1[d] * b->dims[d];
        *off2 -= b->strides2[d] * b->dims[d];
        index[d] = 0;
    }
}

#endif /* TA_BROADCAST_H */
