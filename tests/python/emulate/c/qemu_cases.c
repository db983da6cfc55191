/* Small bare-metal programs for the QEMU platform tests: argv[1] picks what to do. */
#include <stdint.h>
#include <string.h>

#include "ta_probe.h"

static volatile uint32_t sink;
static volatile uint32_t depth_limit = 0xFFFFFFFFu; /* never reached: the stack runs out first */

/* Deliberately unbounded: overflows the stack into unmapped memory below RAM. */
static uint32_t recurse(uint32_t n)
{
    volatile uint32_t pad[16];
    pad[n % 16u] = n;
    if (n == depth_limit) {
        return pad[0];
    }
    return recurse(n + 1u) + pad[(n + 3u) % 16u];
}

/* A fixed amount of work between the model probes, for the instruction-count tests. */
static void counted_work(uint32_t rounds)
{
    for (uint32_t r = 0; r < rounds; ++r) {
        ta_probe_model_begin();
        uint32_t acc = 0;
        for (uint32_t i = 0; i < 1000u; ++i) {
            acc = acc * 1664525u + 1013904223u + i;
        }
        sink = acc;
        ta_probe_model_end();
    }
}

int main(int argc, char **argv)
{
    const char *what = argc > 1 ? argv[1] : "ok";
    if (strcmp(what, "bus_fault") == 0) {
        return (int)*(volatile uint32_t *)0xF0000000u; /* nothing is mapped there */
    }
    if (strcmp(what, "undefined_instruction") == 0) {
        __asm__ volatile("udf #0");
    }
    if (strcmp(what, "divide_by_zero") == 0) {
        volatile uint32_t zero = 0u;
        sink = 100u / zero; /* the startup code enables the divide-by-zero trap */
    }
    if (strcmp(what, "stack_overflow") == 0) {
        sink = recurse(0u);
    }
    if (strcmp(what, "count") == 0) {
        counted_work(5u);
        return 0;
    }
    if (strcmp(what, "exit_code") == 0) {
        return 42;
    }
    return strcmp(what, "ok") == 0 ? 0 : 99;
}
