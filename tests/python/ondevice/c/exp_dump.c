/* Test harness for ta_head_expf: float32 values from IN.bin, their ta_head_expf to OUT.bin (stdio only, so
 * it runs on the host and under QEMU semihosting). */
#include <stdio.h>

#include "ta_head_exp.h"

int main(int argc, char **argv)
{
    if (argc != 3) {
        printf("TA_ERROR usage: exp_dump IN.bin OUT.bin\n");
        return 1;
    }
    FILE *in = fopen(argv[1], "rb");
    FILE *out = fopen(argv[2], "wb");
    if (in == NULL || out == NULL) {
        printf("TA_ERROR cannot open files\n");
        return 1;
    }
    float x;
    unsigned n = 0;
    while (fread(&x, sizeof x, 1, in) == 1) {
        float y = ta_head_expf(x);
        if (fwrite(&y, sizeof y, 1, out) != 1) {
            printf("TA_ERROR cannot write\n");
            return 1;
        }
        n++;
    }
    fclose(in);
    fclose(out);
    printf("TA_EXP_DONE count=%u\n", n);
    return 0;
}
