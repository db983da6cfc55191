/* Host test of firmware/platform/boards/common/ta_pdm_cic.c: packed PDM words (uint32, native order) on
 * stdin, int16 PCM on stdout. argv[1] = decimation. */
#include <stdio.h>
#include <stdlib.h>

#include "ta_pdm_cic.h"

int main(int argc, char **argv)
{
    ta_pdm_cic_t cic;
    if (argc != 2 || ta_pdm_cic_init(&cic, (uint32_t)atoi(argv[1])) != 0) {
        return 2;
    }
    uint32_t words[64];
    int16_t pcm[64];
    size_t n;
    while ((n = fread(words, sizeof words[0], 64, stdin)) > 0) {
        size_t m = ta_pdm_cic_process(&cic, words, n, pcm);
        fwrite(pcm, sizeof pcm[0], m, stdout);
    }
    return 0;
}
