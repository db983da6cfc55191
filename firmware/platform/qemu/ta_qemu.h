/* QEMU platform internals shared by startup, fault handler and platform functions. */
#ifndef TA_QEMU_H
#define TA_QEMU_H

#include <stdint.h>

/* A fault exits QEMU with TA_QEMU_EXIT_FAULT_BASE + the exception number (HardFault 3 -> 67,
 * MemManage 4 -> 68, BusFault 5 -> 69, UsageFault 6 -> 70, SecureFault 7 -> 71); other unexpected
 * exceptions likewise, capped at 127. python/tinyaudio/emulate/qemu.py decodes these codes. */
#define TA_QEMU_EXIT_FAULT_BASE 64
#define TA_QEMU_EXIT_FAULT_MAX 127
/* Bad command line given to the firmware (too many arguments, too long). */
#define TA_QEMU_EXIT_CMDLINE 60

/* The stack is painted with this word before main(); ta_qemu_stack_high_water() counts from the
 * bottom how much of the pattern has been overwritten. */
#define TA_QEMU_STACK_PAINT 0xA5C3A5C3u

/* The lowest bytes of the stack region are a guard: touching them faults (an MPU no-access region on
 * the Cortex-M4, PSPLIM on v8-M cores), so an overflow ends with a fault code instead of silently
 * running on into other memory (on mps2 the addresses below RAM do not fault by themselves). */
#define TA_QEMU_STACK_GUARD_BYTES 32u

uint32_t ta_qemu_stack_high_water(void);
uint32_t ta_qemu_stack_size(void);

/* Prints `prefix` then `value` as 0x%08x on the debug console. */
void ta_qemu_print_hex(const char *prefix, uint32_t value);

#endif /* TA_QEMU_H */
