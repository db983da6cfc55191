/*
 * Fixed-point real FFT on int16 (Q15), integer-only: the transform of the micro frontend
 * (ta_micro_frontend.h).
 *
 * It reproduces, bit for bit, KISS FFT built with FIXED_POINT=16 (kiss_fftr over an n/2-point kiss_fft),
 * which is what TensorFlow's audio_microfrontend op and TFLM's microfrontend library call:
 *  - the n real samples are read as n/2 complex values (even samples real, odd samples imaginary);
 *  - the n/2-point complex FFT is decimation in time with radix-4 stages and, when log2(n/2) is odd, one
 *    radix-2 stage applied first (the innermost factor);
 *  - every butterfly first divides its inputs by its radix: x = (x * (32767 / radix) + 2^14) >> 15;
 *  - a complex product rounds once: (a.r b.r - a.i b.i + 2^14) >> 15 (same for the imaginary part);
 *  - the split into the real spectrum divides by 2 the same way, then halves sums with an arithmetic
 *    shift; so the output is X[k] / n (DFT of the input scaled by 1/n), with KISS's rounding at each step;
 *  - sums are stored back into int16 (two's complement wrap, as KISS's int16 arithmetic).
 * Twiddles: round-half-up(32767 cos), round-half-up(32767 sin) of the KISS phases (built on the host or at
 * init by ta_micro_frontend_tables.c, the only frontend file of the micro frontend that uses floating point).
 */
#ifndef TA_FFT_I16_H
#define TA_FFT_I16_H

#include <stdint.h>

#ifdef __cplusplus
extern "C" {
#endif

typedef struct {
    int16_t r;
    int16_t i;
} ta_cpx_i16_t;

/* A view of the transform's tables, for a real length n (power of two, >= 4). */
typedef struct {
    uint16_t n;
    const ta_cpx_i16_t *twiddles;       /* n/2 values: exp(-2 pi i k / (n/2)), k < n/2 */
    const ta_cpx_i16_t *super_twiddles; /* n/4 values: exp(-i pi ((k + 1) / (n/2) + 1/2)), k < n/4 */
} ta_rfft_i16_t;

/* in: n real samples (not modified). work: n/2 complex values of scratch. out: n/2 + 1 complex values,
 * out[k] ~ X[k] / n for k = 0..n/2 (imaginary parts of out[0] and out[n/2] are 0). */
void ta_rfft_i16_forward(const ta_rfft_i16_t *fft, const int16_t *in, ta_cpx_i16_t *work, ta_cpx_i16_t *out);

#ifdef __cplusplus
}
#endif

#endif /* TA_FFT_I16_H */
