/* File-backed NOR storage: see ta_storage_file.h. */
#include "ta_storage_file.h"

#include <string.h>

static uint8_t image[TA_PLATFORM_STORAGE_BYTES];
static const char *image_path;
static uint32_t budget = TA_STORAGE_FILE_NO_CUT;
static uint32_t noise = 0x2545F491u;

ta_platform_status_t ta_storage_file_attach(const char *path)
{
    if (path == NULL) {
        return TA_PLATFORM_BAD_ARGUMENT;
    }
    memset(image, 0xFF, sizeof image);
    int32_t got = ta_storage_file_backend_load(path, image, (uint32_t)sizeof image);
    if (got >= 0 && (uint32_t)got != (uint32_t)sizeof image) {
        return TA_PLATFORM_IO_ERROR; /* a file of another size is not this storage */
    }
    image_path = path;
    budget = TA_STORAGE_FILE_NO_CUT;
    return TA_PLATFORM_OK;
}

void ta_storage_file_cut_after(uint32_t units)
{
    budget = units;
}

static uint8_t next_noise(void)
{
    noise ^= noise << 13;
    noise ^= noise >> 17;
    noise ^= noise << 5;
    return (uint8_t)noise;
}

static ta_platform_status_t persist(void)
{
    return ta_storage_file_backend_save(image_path, image, (uint32_t)sizeof image) == 0 ? TA_PLATFORM_OK
                                                                                       : TA_PLATFORM_IO_ERROR;
}

/* Spends one unit of the power budget; when none is left, returns 0 (the caller tears its unit and halts). */
static int spend(void)
{
    if (budget == TA_STORAGE_FILE_NO_CUT) {
        return 1;
    }
    if (budget == 0u) {
        return 0;
    }
    budget--;
    return 1;
}

static void power_cut(void)
{
    (void)persist();
    ta_storage_file_backend_halt(TA_STORAGE_FILE_POWER_CUT_EXIT);
}

static int in_range(uint32_t offset, size_t count)
{
    return offset <= TA_PLATFORM_STORAGE_BYTES && count <= (size_t)(TA_PLATFORM_STORAGE_BYTES - offset);
}

ta_platform_status_t ta_platform_storage_read(uint32_t offset, void *dst, size_t count)
{
    if (dst == NULL || !in_range(offset, count) || image_path == NULL) {
        return TA_PLATFORM_BAD_ARGUMENT;
    }
    memcpy(dst, &image[offset], count);
    return TA_PLATFORM_OK;
}

ta_platform_status_t ta_platform_storage_write(uint32_t offset, const void *src, size_t count)
{
    if (src == NULL || !in_range(offset, count) || image_path == NULL) {
        return TA_PLATFORM_BAD_ARGUMENT;
    }
    const uint8_t *bytes = src;
    for (size_t i = 0; i < count; ++i) {
        if (!spend()) {
            image[offset + i] &= (uint8_t)(bytes[i] | next_noise()); /* torn: some bits cleared */
            power_cut();
        }
        image[offset + i] &= bytes[i];
    }
    return persist();
}

ta_platform_status_t ta_platform_storage_erase(uint32_t offset, size_t count)
{
    if (!in_range(offset, count) || offset % TA_PLATFORM_STORAGE_SECTOR_BYTES != 0u ||
        count % TA_PLATFORM_STORAGE_SECTOR_BYTES != 0u || image_path == NULL) {
        return TA_PLATFORM_BAD_ARGUMENT;
    }
    for (size_t s = 0; s < count; s += TA_PLATFORM_STORAGE_SECTOR_BYTES) {
        if (!spend()) {
            for (size_t i = 0; i < TA_PLATFORM_STORAGE_SECTOR_BYTES; ++i) {
                image[offset + s + i] = next_noise(); /* half-erased: arbitrary */
            }
            power_cut();
        }
        memset(&image[offset + s], 0xFF, TA_PLATFORM_STORAGE_SECTOR_BYTES);
    }
    return persist();
}
