/* exp() for the on-device head's softmax, in float32 arithmetic only.
 *
 * Written out (not libm's expf) so that the result is the same bits on every core and compiler and in the
 * numpy mirror (python/tinyaudio/ondevice/head.py, `expf`), which repeats the same float32 operations in
 * the same order: Cody-Waite range reduction x = n ln2 + r, a degree-6 polynomial for exp(r) on
 * |r| <= ln2/2, and a scale by 2^n built from the exponent bits. Relative error below 2e-7 (measured in
 * tests/python/ondevice). No libm, no double: it builds for FPU-less cores as it is. */
#ifndef TA_HEAD_EXP_H
#define TA_HEAD_EXP_H

/* exp(x); 0 for x < -87 (below the smallest normal float), exp(88) for x > 88. NaN gives NaN. */
float ta_head_expf(float x);

#endif /* TA_HEAD_EXP_H */
