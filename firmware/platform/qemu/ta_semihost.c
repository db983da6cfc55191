/* ARM semihosting for the QEMU platform: one BKPT 0xAB per call, operation in r0, argument block
 * pointer in r1, result in r0. No libc, no heap. */
#include "ta_semihost.h"

#include <string.h>

enum {
    SYS_OPEN = 0x01,
    SYS_CLOSE = 0x02,
    SYS_WRITE0 = 0x04,
    SYS_WRITE = 0x05,
    SYS_READ = 0x06,
    SYS_GET_CMDLINE = 0x15,
    SYS_EXIT = 0x18,
    SYS_EXIT_EXTENDED = 0x20
};

#define ADP_STOPPED_APPLICATION_EXIT 0x20026u

static int32_t semihost_call(int32_t op, const void *arg)
{
    register int32_t r0 __asm__("r0") = op;
    register const void *r1 __asm__("r1") = arg;
    __asm__ volatile("bkpt 0xAB" : "+r"(r0) : "r"(r1) : "memory");
    return r0;
}

int32_t ta_semihost_open(const char *path, int32_t mode)
{
    uint32_t block[3];
    block[0] = (uint32_t)(uintptr_t)path;
    block[1] = (uint32_t)mode;
    block[2] = (uint32_t)strlen(path);
    return semihost_call(SYS_OPEN, block);
}

int32_t ta_semihost_close(int32_t handle)
{
    uint32_t block[1];
    block[0] = (uint32_t)handle;
    return semihost_call(SYS_CLOSE, block);
}

size_t ta_semihost_read(int32_t handle, void *dst, size_t count)
{
    uint32_t block[3];
    block[0] = (uint32_t)handle;
    block[1] = (uint32_t)(uintptr_t)dst;
    block[2] = (uint32_t)count;
    /* SYS_READ answers with the number of bytes NOT read. */
    int32_t left = semihost_call(SYS_READ, block);
    if (left < 0 || (size_t)left > count) {
        return 0u;
    }
    return count - (size_t)left;
}

size_t ta_semihost_write(int32_t handle, const void *src, size_t count)
{
    uint32_t block[3];
    block[0] = (uint32_t)handle;
    block[1] = (uint32_t)(uintptr_t)src;
    block[2] = (uint32_t)count;
    int32_t left = semihost_call(SYS_WRITE, block);
    if (left < 0 || (size_t)left > count) {
        return 0u;
    }
    return count - (size_t)left;
}

void ta_semihost_write0(const char *text)
{
    (void)semihost_call(SYS_WRITE0, text);
}

int32_t ta_semihost_get_cmdline(char *buf, size_t size)
{
    uint32_t block[2];
    block[0] = (uint32_t)(uintptr_t)buf;
    block[1] = (uint32_t)size;
    return semihost_call(SYS_GET_CMDLINE, block);
}

void ta_semihost_exit(int32_t code)
{
    /* SYS_EXIT_EXTENDED carries the exit code; plain SYS_EXIT on AArch32 can only say 0 or 1. */
    uint32_t block[2];
    block[0] = ADP_STOPPED_APPLICATION_EXIT;
    block[1] = (uint32_t)code;
    (void)semihost_call(SYS_EXIT_EXTENDED, block);
    (void)semihost_call(SYS_EXIT, (const void *)(uintptr_t)ADP_STOPPED_APPLICATION_EXIT);
    for (;;) {
    }
}
