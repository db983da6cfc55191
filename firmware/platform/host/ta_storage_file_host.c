/* Host backend of ta_storage_file.c: stdio. */
#include <stdio.h>
#include <stdlib.h>

#include "ta_storage_file.h"

int32_t ta_storage_file_backend_load(const char *path, uint8_t *dst, uint32_t size)
{
    FILE *f = fopen(path, "rb");
    if (f == NULL) {
        return -1;
    }
    size_t got = fread(dst, 1, size, f);
    int more = fgetc(f) != EOF;
    fclose(f);
    return more ? (int32_t)size + 1 : (int32_t)got;
}

int32_t ta_storage_file_backend_save(const char *path, const uint8_t *src, uint32_t size)
{
    FILE *f = fopen(path, "wb");
    if (f == NULL) {
        return -1;
    }
    size_t put = fwrite(src, 1, size, f);
    int closed = fclose(f);
    return put == size && closed == 0 ? 0 : -1;
}

void ta_storage_file_backend_halt(int32_t code)
{
    fflush(stdout);
    exit((int)code);
}
