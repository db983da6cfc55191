/* NOR-flash storage for tests, implementing the platform storage functions of ta_platform.h, with a power
 * cut: after a budget of units (one per byte written, one per sector erased) the power goes and every later
 * write and erase fails without effect until nor_shim_power_on(). The byte being written when the power
 * goes gets only some of its bits cleared; the sector being erased when it goes is left with random bytes. */
#ifndef NOR_SHIM_H
#define NOR_SHIM_H

#include <stdint.h>

/* Everything erased (0xFF), power on, no budget. */
void nor_shim_format(void);
/* The power goes after `units` more units; `seed` drives the torn byte / sector. */
void nor_shim_cut_after(uint32_t units, uint32_t seed);
/* Power back, no budget. */
void nor_shim_power_on(void);
/* 1 while powered. */
int nor_shim_powered(void);
/* Units spent since the last nor_shim_cut_after / nor_shim_power_on. */
uint32_t nor_shim_units(void);
/* Raw access for tests that corrupt storage on purpose. */
uint8_t *nor_shim_bytes(void);

#endif /* NOR_SHIM_H */
