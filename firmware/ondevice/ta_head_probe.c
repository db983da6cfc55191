#include "ta_head_probe.h"

#include <stdint.h>

/* One slot per probe, so the two functions never fold into one address. */
static volatile uint32_t ta_head_probe_hits[2];

__attribute__((noinline)) void ta_probe_head_update_begin(void)
{
    ta_head_probe_hits[0]++;
}

__attribute__((noinline)) void ta_probe_head_update_end(void)
{
    ta_head_probe_hits[1]++;
}
