/* See nor_shim.h. */
#include "nor_shim.h"

#include <string.h>

#include "ta_platform.h"

static uint8_t flash[TA_PLATFORM_STORAGE_BYTES];
static int powered = 1;
static int budgeted;
static uint32_t budget;
static uint32_t spent;
static uint32_t rng_state = 1u;

static uint32_t next_random(void)
{
    rng_state = rng_state * 1664525u + 1013904223u;
    return rng_state >> 8;
}

void nor_shim_format(void)
{
    memset(flash, 0xFF, sizeof flash);
    nor_shim_power_on();
}

void nor_shim_cut_after(uint32_t units, uint32_t seed)
{
    powered = 1;
    budgeted = 1;
    budget = units;
    spent = 0u;
    rng_state = seed * 2654435761u + 1u;
}

void nor_shim_power_on(void)
{
    powered = 1;
    budgeted = 0;
    spent = 0u;
}

int nor_shim_powered(void)
{
    return powered;
}

uint32_t nor_shim_units(void)
{
    return spent;
}

uint8_t *nor_shim_bytes(void)
{
    return flash;
}

/* Spends one unit; 0 when the power goes now. */
static int spend(void)
{
    if (!powered) {
        return 0;
    }
    if (budgeted && spent >= budget) {
        powered = 0;
        return 0;
    }
    spent++;
    return 1;
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
    memcpy(dst, &flash[offset], count);
    return TA_PLATFORM_OK;
}

ta_platform_status_t ta_platform_storage_write(uint32_t offset, const void *src, size_t count)
{
    if (src == NULL || !in_range(offset, count)) {
        return TA_PLATFORM_BAD_ARGUMENT;
    }
    const uint8_t *bytes = src;
    for (size_t i = 0; i < count; ++i) {
        if (!spend()) {
            if (powered == 0 && budgeted && spent == budget) {
                /* torn: only some of the bits this byte was to clear are cleared */
                flash[offset + i] &= (uint8_t)(bytes[i] | (uint8_t)next_random());
                spent++;
            }
            return TA_PLATFORM_IO_ERROR;
        }
        flash[offset + i] &= bytes[i];
    }
    return TA_PLATFORM_OK;
}

ta_platform_status_t ta_platform_storage_erase(uint32_t offset, size_t count)
{
    if (!in_range(offset, count) || offset % TA_PLATFORM_STORAGE_SECTOR_BYTES != 0u ||
        count % TA_PLATFORM_STORAGE_SECTOR_BYTES != 0u) {
        return TA_PLATFORM_BAD_ARGUMENT;
    }
    for (size_t s = 0; s < count; s += TA_PLATFORM_STORAGE_SECTOR_BYTES) {
        if (!spend()) {
            if (powered == 0 && budgeted && spent == budget) {
                for (size_t i = 0; i < TA_PLATFORM_STORAGE_SECTOR_BYTES; ++i) {
                    flash[offset + s + i] = (uint8_t)next_random();
                }
                spent++;
            }
            return TA_PLATFORM_IO_ERROR;
        }
        memset(&flash[offset + s], 0xFF, TA_PLATFORM_STORAGE_SECTOR_BYTES);
    }
    return TA_PLATFORM_OK;
}
