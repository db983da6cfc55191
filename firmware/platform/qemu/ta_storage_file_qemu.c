/* QEMU backend of ta_storage_file.c: semihosting files (host paths), no libc stdio. */
#include "ta_semihost.h"
#include "ta_storage_file.h"

int32_t ta_storage_file_backend_load(const char *path, uint8_t *dst, uint32_t size)
{
    int32_t h = ta_semihost_open(path, TA_SEMIHOST_MODE_READ_BINARY);
    if (h < 0) {
        return -1;
    }
    size_t got = ta_semihost_read(h, dst, size);
    uint8_t extra;
    size_t more = got == size ? ta_semihost_read(h, &extra, 1u) : 0u;
    (void)ta_semihost_close(h);
    return more != 0u ? (int32_t)size + 1 : (int32_t)got;
}

int32_t ta_storage_file_backend_save(const char *path, const uint8_t *src, uint32_t size)
{
    int32_t h = ta_semihost_open(path, TA_SEMIHOST_MODE_WRITE_BINARY);
    if (h < 0) {
        return -1;
    }
    size_t put = ta_semihost_write(h, src, size);
    int32_t closed = ta_semihost_close(h);
    return put == size && closed == 0 ? 0 : -1;
}

void ta_storage_file_backend_halt(int32_t code)
{
    ta_semihost_exit(code);
}
