#include "ta_probe.h"

#include <stdint.h>

/* Each probe stores to its own slot, so no two probes compile to identical code that the compiler
 * or linker could fold into one address. */
static volatile uint32_t ta_probe_hits[4];

__attribute__((noinline)) void ta_probe_frontend_begin(void)
{
    ta_probe_hits[0]++;
}

__attribute__((noinline)) void ta_probe_frontend_end(void)
{
    ta_probe_hits[1]++;
}

__attribute__((noinline)) void ta_probe_model_begin(void)
{
    ta_probe_hits[2]++;
}

__attribute__((noinline)) void ta_probe_model_end(void)
{
    ta_probe_hits[3]++;
}
