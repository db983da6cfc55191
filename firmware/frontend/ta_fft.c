/* Real FFT: an n-point real transform as one n/2-point complex radix-2 FFT plus a split step. */
#include "ta_fft.h"

#include <math.h>

#define TA_PI_D 3.14159265358979323846

/* The swaps of the bit-reversal permutation of m points, pairs (i, j) with i < j, in the order of the
 * classic in-place loop; returns the number of pairs (< m / 2). */
static uint32_t build_swaps(uint16_t *swaps, uint32_t m)
{
    uint32_t i;
    uint32_t j = 0;
    uint32_t pairs = 0;
    for (i = 0; i + 1u < m; ++i) {
        uint32_t bit;
        if (i < j) {
            swaps[2u * pairs] = (uint16_t)i;
            swaps[2u * pairs + 1u] = (uint16_t)j;
            pairs++;
        }
        bit = m >> 1;
        while (bit != 0u && (j & bit) != 0u) {
            j ^= bit;
            bit >>= 1;
        }
        j |= bit;
    }
    return pairs;
}

ta_frontend_status_t ta_rfft_build(ta_rfft_t *fft, uint16_t n, float *cos_table, float *sin_table,
                                   uint16_t *swaps)
{
    uint32_t k;
    if (fft == NULL || cos_table == NULL || sin_table == NULL || swaps == NULL) {
        return TA_FRONTEND_ERR_NULL;
    }
    if (n < 2u || n > TA_FRONTEND_MAX_FFT || (n & (n - 1u)) != 0u) {
        return TA_FRONTEND_ERR_FFT_LENGTH;
    }
    /* In double, then rounded once: the tables are the only source of twiddle error. */
    for (k = 0; k < (uint32_t)n / 2u; ++k) {
        double angle = 2.0 * TA_PI_D * (double)k / (double)n;
        cos_table[k] = (float)cos(angle);
        sin_table[k] = (float)sin(angle);
    }
    fft->num_swaps = (uint16_t)build_swaps(swaps, (uint32_t)n / 2u);
    fft->n = n;
    fft->cos_table = cos_table;
    fft->sin_table = sin_table;
    fft->swaps = swaps;
    return TA_FRONTEND_OK;
}

/* Bit-reversal permutation of the complex values (interleaved re, im), from the swap table. */
static void bit_reverse(const ta_rfft_t *fft, float *z)
{
    const uint16_t *pair = fft->swaps;
    uint32_t p;
    for (p = 0; p < fft->num_swaps; ++p, pair += 2) {
        float *a = &z[2u * (uint32_t)pair[0]];
        float *b = &z[2u * (uint32_t)pair[1]];
        float re = a[0];
        float im = a[1];
        a[0] = b[0];
        a[1] = b[1];
        b[0] = re;
        b[1] = im;
    }
}

/* In-place forward complex FFT of m = n/2 points; twiddles W_m^t = table[t * n / size]. */
static void complex_fft(const ta_rfft_t *fft, float *z, uint32_t m)
{
    uint32_t size;
    bit_reverse(fft, z);
    for (size = 2u; size <= m; size <<= 1) {
        uint32_t half = size >> 1;
        uint32_t stride = (uint32_t)fft->n / size;
        uint32_t t;
        for (t = 0; t < half; ++t) {
            float wr = fft->cos_table[t * stride];
            float wi = -fft->sin_table[t * stride];
            uint32_t start;
            for (start = t; start < m; start += size) {
                float *a = &z[2u * start];
                float *b = &z[2u * (start + half)];
                float tr = b[0] * wr - b[1] * wi;
                float ti = b[0] * wi + b[1] * wr;
                b[0] = a[0] - tr;
                b[1] = a[1] - ti;
                a[0] += tr;
                a[1] += ti;
            }
        }
    }
}

void ta_rfft_forward(const ta_rfft_t *fft, float *buf)
{
    uint32_t m = (uint32_t)fft->n / 2u;
    uint32_t k;
    float re0;
    float im0;

    /* z[j] = x[2j] + i x[2j+1] is the buffer as it is. */
    complex_fft(fft, buf, m);

    /* Split: with Ze/Zo the spectra of even/odd samples, X[k] = Ze[k] + W_n^k Zo[k] and
     * X[m-k] = conj(Ze[k] - W_n^k Zo[k]), where Ze[k] = (Z[k] + conj Z[m-k]) / 2 and
     * Zo[k] = (Z[k] - conj Z[m-k]) / 2i. */
    re0 = buf[0];
    im0 = buf[1];
    buf[0] = re0 + im0; /* X[0] */
    buf[1] = re0 - im0; /* X[m], real, packed in slot 1 */
    for (k = 1; k <= m / 2u && k < m; ++k) {
        uint32_t j = m - k;
        float ar = buf[2u * k];
        float ai = buf[2u * k + 1u];
        float br = buf[2u * j];
        float bi = buf[2u * j + 1u];
        float er = 0.5f * (ar + br);  /* Ze = (A + conj B) / 2 */
        float ei = 0.5f * (ai - bi);
        float orr = 0.5f * (ai + bi); /* Zo = (A - conj B) / 2i */
        float oi = -0.5f * (ar - br);
        float wr = fft->cos_table[k];
        float wi = -fft->sin_table[k];
        float tr = wr * orr - wi * oi; /* W Zo */
        float ti = wr * oi + wi * orr;
        buf[2u * k] = er + tr;
        buf[2u * k + 1u] = ei + ti;
        buf[2u * j] = er - tr;
        buf[2u * j + 1u] = -(ei - ti);
    }
}
