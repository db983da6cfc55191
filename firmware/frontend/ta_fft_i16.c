/* Fixed-point real FFT, KISS FFT int16 semantics (see ta_fft_i16.h). Integer-only. */
#include "ta_fft_i16.h"

#include <stddef.h>

#define TA_FFT_I16_MAX_STAGES 16u

/* An int32 stored into an int16 slot: two's complement wrap (KISS's int16 stores). */
static int16_t wrap16(int32_t v)
{
    return (int16_t)(uint16_t)(uint32_t)v;
}

/* Q15 rounding of a product sum: (x + 2^14) >> 15 (arithmetic shift), stored as int16. */
static int16_t round_q15(int32_t x)
{
    return wrap16((x + 16384) >> 15);
}

/* Division by a butterfly's radix r: multiplication by reciprocal = 32767 / r (integer quotient) in Q15,
 * rounded. */
#define TA_FFT_I16_HALF 16383   /* 32767 / 2 */
#define TA_FFT_I16_QUARTER 8191 /* 32767 / 4 */

static ta_cpx_i16_t cpx_div(ta_cpx_i16_t a, int32_t reciprocal)
{
    ta_cpx_i16_t out;
    out.r = round_q15((int32_t)a.r * reciprocal);
    out.i = round_q15((int32_t)a.i * reciprocal);
    return out;
}

/* a * b in Q15, each part rounded once. |products| < 2^31 since twiddles are within +-32767. */
static ta_cpx_i16_t cpx_mul(ta_cpx_i16_t a, ta_cpx_i16_t b)
{
    ta_cpx_i16_t out;
    out.r = round_q15((int32_t)a.r * b.r - (int32_t)a.i * b.i);
    out.i = round_q15((int32_t)a.r * b.i + (int32_t)a.i * b.r);
    return out;
}

static ta_cpx_i16_t cpx_add(ta_cpx_i16_t a, ta_cpx_i16_t b)
{
    ta_cpx_i16_t out;
    out.r = wrap16((int32_t)a.r + b.r);
    out.i = wrap16((int32_t)a.i + b.i);
    return out;
}

static ta_cpx_i16_t cpx_sub(ta_cpx_i16_t a, ta_cpx_i16_t b)
{
    ta_cpx_i16_t out;
    out.r = wrap16((int32_t)a.r - b.r);
    out.i = wrap16((int32_t)a.i - b.i);
    return out;
}

/* Radix-2 butterflies of one block: f[k] and f[k + m], k < m. */
static void butterfly2(ta_cpx_i16_t *f, const ta_cpx_i16_t *tw, uint32_t stride, uint32_t m)
{
    uint32_t k;
    for (k = 0; k < m; ++k) {
        ta_cpx_i16_t a = cpx_div(f[k], TA_FFT_I16_HALF);
        ta_cpx_i16_t b = cpx_div(f[k + m], TA_FFT_I16_HALF);
        ta_cpx_i16_t t = cpx_mul(b, tw[k * stride]);
        f[k + m] = cpx_sub(a, t);
        f[k] = cpx_add(a, t);
    }
}

/* Radix-4 butterflies (forward transform) of one block: f[k], f[k + m], f[k + 2m], f[k + 3m], k < m. */
static void butterfly4(ta_cpx_i16_t *f, const ta_cpx_i16_t *tw, uint32_t stride, uint32_t m)
{
    uint32_t k;
    for (k = 0; k < m; ++k) {
        ta_cpx_i16_t x0 = cpx_div(f[k], TA_FFT_I16_QUARTER);
        ta_cpx_i16_t x1 = cpx_div(f[k + m], TA_FFT_I16_QUARTER);
        ta_cpx_i16_t x2 = cpx_div(f[k + 2u * m], TA_FFT_I16_QUARTER);
        ta_cpx_i16_t x3 = cpx_div(f[k + 3u * m], TA_FFT_I16_QUARTER);
        ta_cpx_i16_t p1 = cpx_mul(x1, tw[k * stride]);
        ta_cpx_i16_t p2 = cpx_mul(x2, tw[2u * k * stride]);
        ta_cpx_i16_t p3 = cpx_mul(x3, tw[3u * k * stride]);
        ta_cpx_i16_t diff02 = cpx_sub(x0, p2);
        ta_cpx_i16_t sum02 = cpx_add(x0, p2);
        ta_cpx_i16_t sum13 = cpx_add(p1, p3);
        ta_cpx_i16_t diff13 = cpx_sub(p1, p3);
        f[k + 2u * m] = cpx_sub(sum02, sum13);
        f[k] = cpx_add(sum02, sum13);
        f[k + m].r = wrap16((int32_t)diff02.r + diff13.i);
        f[k + m].i = wrap16((int32_t)diff02.i - diff13.r);
        f[k + 3u * m].r = wrap16((int32_t)diff02.r - diff13.i);
        f[k + 3u * m].i = wrap16((int32_t)diff02.i + diff13.r);
    }
}

/* The n/2-point complex FFT of the packed input into work[]: digit-reversed load, then the stages from the
 * innermost factor to the outermost. Factors, outermost first: radix 4 while 4 divides, then one radix 2. */
static void complex_fft(const ta_rfft_i16_t *fft, const int16_t *in, ta_cpx_i16_t *work)
{
    uint32_t half = (uint32_t)fft->n / 2u;
    uint32_t radix[TA_FFT_I16_MAX_STAGES];
    uint32_t stride[TA_FFT_I16_MAX_STAGES]; /* product of the radices of the outer stages */
    uint32_t span[TA_FFT_I16_MAX_STAGES];   /* sub-transform length below the stage (KISS's m) */
    uint32_t digit[TA_FFT_I16_MAX_STAGES];
    uint32_t stages = 0;
    uint32_t rest = half;
    uint32_t acc = 1;
    uint32_t pos;
    uint32_t src = 0;
    uint32_t s;

    while (rest > 1u) {
        uint32_t p = (rest % 4u == 0u) ? 4u : 2u;
        radix[stages] = p;
        stride[stages] = acc;
        acc *= p;
        rest /= p;
        span[stages] = rest;
        digit[stages] = 0;
        stages++;
    }

    /* Position pos = sum digit[s] * span[s] takes input pair sum digit[s] * stride[s]. */
    for (pos = 0; pos < half; ++pos) {
        work[pos].r = in[2u * src];
        work[pos].i = in[2u * src + 1u];
        for (s = stages; s-- > 0u;) {
            digit[s]++;
            src += stride[s];
            if (digit[s] < radix[s]) {
                break;
            }
            digit[s] = 0;
            src -= radix[s] * stride[s];
        }
    }

    for (s = stages; s-- > 0u;) {
        uint32_t block = radix[s] * span[s];
        uint32_t b;
        for (b = 0; b < stride[s]; ++b) {
            if (radix[s] == 4u) {
                butterfly4(&work[b * block], fft->twiddles, stride[s], span[s]);
            } else {
                butterfly2(&work[b * block], fft->twiddles, stride[s], span[s]);
            }
        }
    }
}

void ta_rfft_i16_forward(const ta_rfft_i16_t *fft, const int16_t *in, ta_cpx_i16_t *work, ta_cpx_i16_t *out)
{
    uint32_t half = (uint32_t)fft->n / 2u;
    uint32_t k;
    ta_cpx_i16_t dc;

    complex_fft(fft, in, work);

    /* Split the transform of the packed even/odd samples into the real spectrum. */
    dc = cpx_div(work[0], TA_FFT_I16_HALF);
    out[0].r = wrap16((int32_t)dc.r + dc.i);
    out[0].i = 0;
    out[half].r = wrap16((int32_t)dc.r - dc.i);
    out[half].i = 0;
    for (k = 1; k <= half / 2u; ++k) {
        ta_cpx_i16_t mirrored;
        ta_cpx_i16_t a;
        ta_cpx_i16_t b;
        ta_cpx_i16_t sum;
        ta_cpx_i16_t rotated;
        mirrored.r = work[half - k].r;
        mirrored.i = wrap16(-(int32_t)work[half - k].i);
        a = cpx_div(work[k], TA_FFT_I16_HALF);
        b = cpx_div(mirrored, TA_FFT_I16_HALF);
        sum = cpx_add(a, b);
        rotated = cpx_mul(cpx_sub(a, b), fft->super_twiddles[k - 1u]);
        /* k first, then half - k: at k = half / 2 both are the same bin and the second write wins. */
        out[k].r = wrap16(((int32_t)sum.r + rotated.r) >> 1);
        out[k].i = wrap16(((int32_t)sum.i + rotated.i) >> 1);
        out[half - k].r = wrap16(((int32_t)sum.r - rotated.r) >> 1);
        out[half - k].i = wrap16(((int32_t)rotated.i - sum.i) >> 1);
    }
}
