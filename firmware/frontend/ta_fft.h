/* Real FFT of any power-of-two length up to TA_FRONTEND_MAX_FFT (radix-2, iterative, no heap). */
#ifndef TA_FFT_H
#define TA_FFT_H

#include "ta_frontend_types.h"

#ifdef __cplusplus
extern "C" {
#endif

/* A view of the FFT's tables: twiddles cos/sin(2 pi k / n), k < n/2, and the bit-reversal permutation of
 * the n/2-point complex FFT as index pairs to swap. Built by ta_rfft_build() into caller RAM, or const
 * arrays generated at build time (tinyaudio.frontend.tables_to_c) from the same builder. */
typedef struct {
    uint16_t n;
    uint16_t num_swaps;     /* pairs in swaps[] */
    const float *cos_table; /* n/2 values */
    const float *sin_table; /* n/2 values */
    const uint16_t *swaps;  /* num_swaps pairs (i, j), i < j < n/2: swap complex values i and j */
} ta_rfft_t;

/* Fills cos_table/sin_table (n/2 values each) and swaps (room for n/2 values, i.e. n/4 pairs) and points
 * fft at them. */
ta_frontend_status_t ta_rfft_build(ta_rfft_t *fft, uint16_t n, float *cos_table, float *sin_table,
                                   uint16_t *swaps);

/* In place. Input: n real samples. Output, packed as CMSIS-DSP's arm_rfft_fast_f32:
 * buf[0] = Re X[0], buf[1] = Re X[n/2], buf[2k] = Re X[k], buf[2k+1] = Im X[k] for 0 < k < n/2,
 * with X[k] = sum_t x[t] exp(-2 pi i k t / n). */
void ta_rfft_forward(const ta_rfft_t *fft, float *buf);

#ifdef __cplusplus
}
#endif

#endif /* TA_FFT_H */
