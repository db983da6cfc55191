/* Non-volatile storage emulated in RAM with NOR-flash rules (erase sets whole sectors to 0xFF, a
 * write can only clear bits), shared by the host and QEMU platforms. A board port replaces it with
 * its flash driver. */
#include <string.h>

#include "ta_platform.h"

static uint8_t storage[TA_PLATFORM_STORAGE_BYTES];
static uint8_t storage_ready;

static void storage_init(void)
{
    if (!storage_ready) {
        memset(storage, 0xFF, sizeof storage);
        storage_ready = 1u;
    }
}

static int in_range(uint32_t offset, size_t count)
{
    return offset <= TA_PLATFORM_STORAGE_BYTES && count <= (size_t)(TA_PLATFORM_STORAGE_BYTES - offset);
}

ta_platform_status_t ta_platform_storage_read(uint32_t offset, void *dst, size_t count)
{
    if (dst == NULL || !in_range(offset, count)) {
        return TA_PLATFORM_BAD_ARGUMENT;
    }
    storage_init();
    memcpy(dst, &storage[offset], count);
    return TA_PLATFORM_OK;
}

ta_platform_status_t ta_platform_storage_write(uint32_t offset, const void *src, size_t count)
{
    if (src == NULL || !in_range(offset, count)) {
        return TA_PLATFORM_BAD_ARGUMENT;
    }
    storage_init();
    const uint8_t *bytes = src;
    for (size_t i = 0; i < count; ++i) {
        storage[offset + i] &= bytes[i];
    }
    return TA_PLATFORM_OK;
}

ta_platform_status_t ta_platform_storage_erase(uint32_t offset, size_t count)
{
    if (!in_range(offset, count) || offset % TA_PLATFORM_STORAGE_SECTOR_BYTES != 0u ||
        count % TA_PLATFORM_STORAGE_SECTOR_BYTES != 0u) {
        return TA_PLATFORM_BAD_ARGUMENT;
    }
    storage_init();
    memset(&storage[offset], 0xFF, count);
    return TA_PLATFORM_OK;
}
