/* Unit test of ta_crc32: the standard check value, chunked equals one-shot, and the CRC of a file (argv[1])
 * printed for comparison with zlib.crc32. */
#include <stdio.h>
#include <string.h>

#include "ta_crc32.h"

static unsigned char buffer[1 << 16];

int main(int argc, char **argv)
{
    const char *check = "123456789";
    if (ta_crc32_update(0u, check, strlen(check)) != 0xCBF43926u) {
        printf("TA_ERROR check value\n");
        return 1;
    }
    if (ta_crc32_update(0u, NULL, 0u) != 0u) {
        printf("TA_ERROR empty input\n");
        return 1;
    }
    if (argc != 2) {
        printf("TA_ERROR usage: crc32_test FILE\n");
        return 1;
    }
    FILE *f = fopen(argv[1], "rb");
    if (f == NULL) {
        printf("TA_ERROR cannot open\n");
        return 1;
    }
    size_t n = fread(buffer, 1, sizeof buffer, f);
    fclose(f);
    uint32_t whole = ta_crc32_update(0u, buffer, n);
    for (size_t split = 0; split <= n; split += 1 + split / 3u) {
        uint32_t parts = ta_crc32_update(ta_crc32_update(0u, buffer, split), buffer + split, n - split);
        if (parts != whole) {
            printf("TA_ERROR chunked CRC differs at split %u\n", (unsigned)split);
            return 1;
        }
    }
    printf("TA_CRC32 %08x %u\n", (unsigned)whole, (unsigned)n);
    return 0;
}
