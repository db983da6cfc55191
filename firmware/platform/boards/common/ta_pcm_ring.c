/* See ta_pcm_ring.h. */
#include "ta_pcm_ring.h"

#include <string.h>

/* Keeps the compiler from moving sample stores after the index store that publishes them. */
#if defined(__GNUC__)
#define TA_COMPILER_BARRIER() __asm__ volatile("" ::: "memory")
#else
#define TA_COMPILER_BARRIER() ((void)0)
#endif

/* DC blocker y[n] = x[n] - x[n-1] + a * y[n-1]; a = 0.995 puts the corner near 13 Hz at 16 kHz. */
#define TA_PCM_DC_POLE 0.995f

int ta_pcm_ring_init(ta_pcm_ring_t *ring, int16_t *samples, uint32_t capacity)
{
    if (ring == NULL || samples == NULL || capacity < 2u || (capacity & (capacity - 1u)) != 0u) {
        return -1;
    }
    memset(ring, 0, sizeof *ring);
    ring->samples = samples;
    ring->capacity = capacity;
    return 0;
}

uint32_t ta_pcm_ring_write(ta_pcm_ring_t *ring, const int16_t *src, uint32_t count)
{
    uint32_t head = ring->head;
    uint32_t free_slots = ring->capacity - (head - ring->tail);
    uint32_t n = count < free_slots ? count : free_slots;
    for (uint32_t i = 0; i < n; ++i) {
        ring->samples[(head + i) & (ring->capacity - 1u)] = src[i];
    }
    TA_COMPILER_BARRIER();
    ring->head = head + n;
    ring->dropped += count - n;
    return n;
}

uint32_t ta_pcm_ring_available(const ta_pcm_ring_t *ring)
{
    return ring->head - ring->tail;
}

int ta_pcm_ring_read_float(ta_pcm_ring_t *ring, float *dst, uint32_t count)
{
    if (ta_pcm_ring_available(ring) < count) {
        return -1;
    }
    uint32_t tail = ring->tail;
    float x1 = ring->dc_state_in;
    float y1 = ring->dc_state_out;
    for (uint32_t i = 0; i < count; ++i) {
        float x = (float)ring->samples[(tail + i) & (ring->capacity - 1u)] * (1.0f / 32768.0f);
        float y = x - x1 + TA_PCM_DC_POLE * y1;
        x1 = x;
        y1 = y;
        dst[i] = y;
    }
    ring->dc_state_in = x1;
    ring->dc_state_out = y1;
    TA_COMPILER_BARRIER();
    ring->tail = tail + count;
    return 0;
}
