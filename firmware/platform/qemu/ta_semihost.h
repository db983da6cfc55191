/* ARM semihosting calls used by the QEMU platform (BKPT 0xAB on M-profile).
 *
 * QEMU runs with -semihosting-config enable=on,target=native: file names are host paths and the
 * exit code of ta_semihost_exit() becomes QEMU's exit status. */
#ifndef TA_SEMIHOST_H
#define TA_SEMIHOST_H

#include <stddef.h>
#include <stdint.h>

/* Open modes of SYS_OPEN (index into the fopen mode table of the semihosting specification). */
#define TA_SEMIHOST_MODE_READ_BINARY 1
#define TA_SEMIHOST_MODE_WRITE_BINARY 5
#define TA_SEMIHOST_MODE_WRITE_TEXT 4
#define TA_SEMIHOST_MODE_APPEND_TEXT 8

/* Returns a handle >= 0, or -1. The name ":tt" opens the console (stdout for WRITE_TEXT,
 * stderr for APPEND_TEXT). */
int32_t ta_semihost_open(const char *path, int32_t mode);
int32_t ta_semihost_close(int32_t handle);
/* Both return the number of bytes actually transferred. */
size_t ta_semihost_read(int32_t handle, void *dst, size_t count);
size_t ta_semihost_write(int32_t handle, const void *src, size_t count);
/* Writes a NUL-terminated string to the debug console (QEMU's stderr). */
void ta_semihost_write0(const char *text);
/* Copies the command line given with -semihosting-config arg=... into buf; returns 0 on success. */
int32_t ta_semihost_get_cmdline(char *buf, size_t size);
/* Ends the emulation; QEMU exits with `code`. Never returns. */
void ta_semihost_exit(int32_t code) __attribute__((noreturn));

#endif /* TA_SEMIHOST_H */
