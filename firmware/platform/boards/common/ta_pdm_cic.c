/* See ta_pdm_cic.h. */
#include "ta_pdm_cic.h"

#include <string.h>

int ta_pdm_cic_init(ta_pdm_cic_t *cic, uint32_t decimation)
{
    if (cic == NULL || (decimation != 32u && decimation != 64u)) {
        return -1;
    }
    memset(cic, 0, sizeof *cic);
    cic->decimation = decimation;
    cic->shift = decimation == 32u ? 5u * TA_PDM_CIC_ORDER : 6u * TA_PDM_CIC_ORDER;
    return 0;
}

size_t ta_pdm_cic_process(ta_pdm_cic_t *cic, const uint32_t *pdm, size_t words, int16_t *out)
{
    size_t produced = 0;
    uint32_t i0 = cic->integrator[0], i1 = cic->integrator[1], i2 = cic->integrator[2],
             i3 = cic->integrator[3];
    for (size_t w = 0; w < words; ++w) {
        uint32_t bits = pdm[w];
        for (int b = 31; b >= 0; --b) {
            /* +1 / -1 as 32-bit two's complement */
            i0 += ((bits >> b) & 1u) ? 1u : 0xFFFFFFFFu;
            i1 += i0;
            i2 += i1;
            i3 += i2;
        }
        cic->phase += 32u;
        if (cic->phase < cic->decimation) {
            continue;
        }
        cic->phase = 0u;
        /* Combs at the low rate: y = x - x[n-1] per stage. */
        uint32_t x = i3;
        for (int s = 0; s < TA_PDM_CIC_ORDER; ++s) {
            uint32_t y = x - cic->comb[s];
            cic->comb[s] = x;
            x = y;
        }
        /* x is the signed sum in [-R^4, R^4]; R^4 >> shift is 1 (32768 in Q15). */
        int32_t v = (int32_t)x;
        int32_t pcm = v >= 0 ? (int32_t)((uint32_t)v >> (cic->shift - 15u))
                             : -(int32_t)((uint32_t)(-v) >> (cic->shift - 15u));
        if (pcm > 32767) {
            pcm = 32767;
        }
        out[produced++] = (int16_t)pcm;
    }
    cic->integrator[0] = i0;
    cic->integrator[1] = i1;
    cic->integrator[2] = i2;
    cic->integrator[3] = i3;
    return produced;
}
