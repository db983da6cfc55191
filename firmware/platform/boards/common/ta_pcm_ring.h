/* A single-producer single-consumer ring of int16 PCM samples: the microphone's interrupt or DMA
 * callback writes, the main loop reads. Lock-free on a single core (the producer only moves `head`, the
 * consumer only `tail`; 32-bit index stores are atomic on Cortex-M and Xtensa). Samples that do not fit
 * are dropped and counted (an inference that takes longer than the ring lasts).
 *
 * Reads convert to float in [-1, 1) for ta_platform_read_pcm, after a first-order DC blocker (PDM and
 * I2S MEMS microphones have a DC offset that the frontend would otherwise see as a 0 Hz component). */
#ifndef TA_PCM_RING_H
#define TA_PCM_RING_H

#include <stddef.h>
#include <stdint.h>

#ifdef __cplusplus
extern "C" {
#endif

typedef struct {
    int16_t *samples;            /* capacity slots (a power of two), owned by the caller */
    uint32_t capacity;
    volatile uint32_t head;      /* total samples written (wraps) */
    volatile uint32_t tail;      /* total samples read (wraps) */
    volatile uint32_t dropped;   /* samples the producer could not store */
    float dc_state_in;           /* DC blocker: previous input and output */
    float dc_state_out;
} ta_pcm_ring_t;

/* 0 on success, -1 if capacity is not a power of two >= 2 or samples is NULL. */
int ta_pcm_ring_init(ta_pcm_ring_t *ring, int16_t *samples, uint32_t capacity);

/* Producer side (interrupt context): stores up to count samples, returns how many were stored. */
uint32_t ta_pcm_ring_write(ta_pcm_ring_t *ring, const int16_t *src, uint32_t count);

/* Consumer side: samples waiting. */
uint32_t ta_pcm_ring_available(const ta_pcm_ring_t *ring);

/* Consumer side: takes exactly count samples as floats (DC removed) if that many are waiting and
 * returns 0; returns -1 and takes nothing otherwise. */
int ta_pcm_ring_read_float(ta_pcm_ring_t *ring, float *dst, uint32_t count);

#ifdef __cplusplus
}
#endif

#endif /* TA_PCM_RING_H */
