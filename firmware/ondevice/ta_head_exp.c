/* See ta_head_exp.h. Every constant is a float32 value; every operation rounds to float32 (the sources
 * build with -ffp-contract=off so no multiply-add is fused; the mirror relies on that). */
#include "ta_head_exp.h"

#include <stdint.h>
#include <string.h>

#define TA_LOG2E 1.44269502f
#define TA_LN2_HI 0.693145752f  /* ln 2 split: hi has 9 zero low bits, so n * hi is exact for |n| <= 127 */
#define TA_LN2_LO 1.42860677e-06f

float ta_head_expf(float x)
{
    if (x != x) {
        return x;
    }
    if (x < -87.0f) {
        return 0.0f;
    }
    if (x > 88.0f) {
        x = 88.0f;
    }
    float t = x * TA_LOG2E;
    int32_t n = (int32_t)(t >= 0.0f ? t + 0.5f : t - 0.5f); /* round half away from zero */
    float nf = (float)n;
    float r = x - nf * TA_LN2_HI;
    r = r - nf * TA_LN2_LO;
    float p = 1.38888889e-03f; /* 1/720 */
    p = p * r + 8.33333377e-03f; /* 1/120 */
    p = p * r + 4.16666679e-02f; /* 1/24 */
    p = p * r + 1.66666672e-01f; /* 1/6 */
    p = p * r + 0.5f;
    p = p * r + 1.0f;
    p = p * r + 1.0f;
    uint32_t bits = (uint32_t)(n + 127) << 23; /* n in [-126, 127] here */
    float scale;
    memcpy(&scale, &bits, sizeof scale);
    return p * scale;
}
