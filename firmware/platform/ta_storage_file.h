/* Non-volatile storage kept in a file, for the host and QEMU: the platform storage functions of
 * ta_platform.h (NOR rules: erase sets whole sectors to 0xFF, a write only clears bits) on a RAM image of
 * TA_PLATFORM_STORAGE_BYTES that is written back to the file after every write and erase, so the file is
 * what the flash would hold if the power went at that moment. Boards use their flash instead.
 *
 * Power-cut testing: ta_storage_file_attach(path, cut_after) makes the "power" go after `cut_after` more
 * units (one per byte written, one per sector erased): the byte being written keeps only some of the bits
 * it was to clear, a sector being erased is left with arbitrary bytes, the image is written back and the
 * program ends at once with exit code TA_STORAGE_FILE_POWER_CUT_EXIT, as if the device had lost power. */
#ifndef TA_STORAGE_FILE_H
#define TA_STORAGE_FILE_H

#include <stdint.h>

#include "ta_platform.h"

#define TA_STORAGE_FILE_NO_CUT 0xFFFFFFFFu
#define TA_STORAGE_FILE_POWER_CUT_EXIT 75

/* Loads the image from `path` (a missing file is erased storage; a file of another size is an error) and
 * keeps it there. The path must outlive the program's use of storage. */
ta_platform_status_t ta_storage_file_attach(const char *path);

/* Power goes after `units` more units (TA_STORAGE_FILE_NO_CUT: never). */
void ta_storage_file_cut_after(uint32_t units);

/* The per-platform file access the module above needs (host: stdio; QEMU: semihosting). */
/* Reads up to `size` bytes of the file into dst; returns the count read, or -1 when the file is absent. */
int32_t ta_storage_file_backend_load(const char *path, uint8_t *dst, uint32_t size);
/* Replaces the file's contents with `size` bytes; returns 0 on success. */
int32_t ta_storage_file_backend_save(const char *path, const uint8_t *src, uint32_t size);
/* Ends the program at once with `code` (the simulated power cut). */
void ta_storage_file_backend_halt(int32_t code);

#endif /* TA_STORAGE_FILE_H */
