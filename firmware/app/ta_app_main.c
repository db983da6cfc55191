/* The firmware's main loop on the host and QEMU platforms: clips of PCM from the platform, hop by hop,
 * through the application core; one result per clip back to the platform.
 *
 * The PCM source holds whole clips back to back, each exactly ta_app_clip_samples() float32
 * samples (Python decodes, resamples and pads them with tinyaudio.data). When the model's frontend
 * normalizes clips (mlperf-mfcc divides by the clip's largest sample) the gain must be known before
 * the first hop, so the clip is buffered first; otherwise hops go straight from the source to the core.
 *
 * With a third argument STRIDE the input is one continuous stream instead (a microphone): after the
 * first full window, a result every STRIDE frames (streaming ignores clip normalization: gain 1).
 *
 * Console lines (parsed by python/tinyaudio/emulate): "TA_DONE clips=N", "TA_STACK_HWM bytes=N",
 * "TA_ERROR ..." on failure (exit code 1 = platform, 2 = application core). */
#include <stddef.h>
#include <stdint.h>
#include <string.h>

#include "ta_app.h"
#include "ta_platform.h"
#include "ta_probe.h"
#include "ta_result_format.h"

/* Largest clip this build buffers for normalization; the build passes the model's clip length. */
#ifndef TA_APP_MAX_CLIP_SAMPLES
#define TA_APP_MAX_CLIP_SAMPLES 16000u
#endif

static ta_app_t ta_app_instance; /* named for the size report */
static float ta_app_hop_buffer[TA_APP_MAX_HOP];
#if TA_APP_MAX_CLIP_SAMPLES > 0
static float ta_app_clip_buffer[TA_APP_MAX_CLIP_SAMPLES];
#endif

static int fail(const char *what, int32_t code)
{
    char line[96];
    char number[12];
    size_t n = strlen(what);
    if (n > 60u) {
        n = 60u;
    }
    memcpy(line, "TA_ERROR ", 9u);
    memcpy(line + 9, what, n);
    line[9 + n] = ' ';
    size_t k = ta_format_int(number, code);
    memcpy(line + 10 + n, number, k + 1u);
    ta_platform_log(line);
    ta_platform_close();
    return 2;
}

static void log_number(const char *prefix, uint32_t value)
{
    char line[64];
    size_t n = strlen(prefix);
    memcpy(line, prefix, n);
    (void)ta_format_int(line + n, (int32_t)value);
    ta_platform_log(line);
}

#if TA_APP_MAX_CLIP_SAMPLES > 0
/* Pushes `count` samples from src in hops (the last one zero-padded) and ends the clip. */
static ta_status_t run_buffered_clip(const float *src, uint32_t count, uint32_t hop, ta_app_result_t *result)
{
    for (uint32_t pos = 0; pos < count; pos += hop) {
        uint32_t n = count - pos < hop ? count - pos : hop;
        memcpy(ta_app_hop_buffer, &src[pos], n * sizeof(float));
        memset(&ta_app_hop_buffer[n], 0, (hop - n) * sizeof(float));
        ta_status_t st = ta_app_push_hop(&ta_app_instance, ta_app_hop_buffer, result);
        if (st != TA_OK) {
            return st;
        }
    }
    return ta_app_end_clip(&ta_app_instance, result);
}
#endif

/* Reads one clip from the platform one hop at a time; TA_ERR_IO at the end of the input. */
static ta_status_t run_streamed_clip(uint32_t count, uint32_t hop, ta_app_result_t *result)
{
    for (uint32_t pos = 0; pos < count; pos += hop) {
        uint32_t n = count - pos < hop ? count - pos : hop;
        if (ta_platform_read_pcm(ta_app_hop_buffer, n) != TA_PLATFORM_OK) {
            return TA_ERR_IO;
        }
        memset(&ta_app_hop_buffer[n], 0, (hop - n) * sizeof(float));
        ta_status_t st = ta_app_push_hop(&ta_app_instance, ta_app_hop_buffer, result);
        if (st != TA_OK) {
            return st;
        }
    }
    return ta_app_end_clip(&ta_app_instance, result);
}

/* Decimal argument -> value, 0 if it is not a positive number. */
static uint32_t parse_count(const char *text)
{
    uint32_t value = 0;
    for (; *text != '\0'; ++text) {
        if (*text < '0' || *text > '9' || value > 100000000u) {
            return 0u;
        }
        value = value * 10u + (uint32_t)(*text - '0');
    }
    return value;
}

/* Streaming: hops from the platform until the input ends, a result whenever the core has one. */
static int run_stream(uint32_t stride, uint32_t hop)
{
    ta_status_t st = ta_app_begin_stream(&ta_app_instance, stride);
    if (st != TA_OK) {
        return fail("ta_app_begin_stream failed with status", (int32_t)st);
    }
    uint32_t results = 0;
    while (ta_platform_read_pcm(ta_app_hop_buffer, hop) == TA_PLATFORM_OK) {
        ta_app_result_t result;
        st = ta_app_push_hop(&ta_app_instance, ta_app_hop_buffer, &result);
        if (st != TA_OK) {
            return fail("hop failed with status", (int32_t)st);
        }
        if (result.ready) {
            if (ta_platform_emit_result(result.index, result.label, result.scores, TA_MODEL_OUTPUT_BYTES) !=
                TA_PLATFORM_OK) {
                return fail("cannot emit result", (int32_t)result.index);
            }
            results++;
        }
    }
    log_number("TA_DONE results=", results);
    log_number("TA_STACK_HWM bytes=", ta_platform_stack_high_water());
    ta_platform_close();
    return 0;
}

int main(int argc, char **argv)
{
    if (ta_platform_open(argc, argv) != TA_PLATFORM_OK) {
        return 1;
    }
    ta_status_t st = ta_app_init(&ta_app_instance);
    if (st != TA_OK) {
        return fail("ta_app_init failed with status", (int32_t)st);
    }
    const uint32_t hop = ta_app_hop_samples(&ta_app_instance);
    const uint32_t clip = ta_app_clip_samples();
    const int normalize = ta_app_clip_normalizes();
    if (hop > TA_APP_MAX_HOP) {
        return fail("hop longer than TA_APP_MAX_HOP", (int32_t)hop);
    }
    if (argc > 3) {
        uint32_t stride = parse_count(argv[3]);
        if (stride == 0u) {
            return fail("STRIDE must be a positive number of frames, got length", (int32_t)strlen(argv[3]));
        }
        return run_stream(stride, hop);
    }
    if (normalize && (clip > TA_APP_MAX_CLIP_SAMPLES || TA_APP_MAX_CLIP_SAMPLES == 0u)) {
        return fail("clip longer than TA_APP_MAX_CLIP_SAMPLES", (int32_t)clip);
    }

    uint32_t clips = 0;
    for (;;) {
        ta_app_result_t result;
        if (normalize) {
#if TA_APP_MAX_CLIP_SAMPLES > 0
            if (ta_platform_read_pcm(ta_app_clip_buffer, clip) != TA_PLATFORM_OK) {
                break;
            }
            /* The clip's normalization gain is frontend work: counted with it. */
            ta_probe_frontend_begin();
            float gain = ta_app_clip_gain(ta_app_clip_buffer, clip);
            ta_probe_frontend_end();
            st = ta_app_begin_clip(&ta_app_instance, gain);
            if (st == TA_OK) {
                st = run_buffered_clip(ta_app_clip_buffer, clip, hop, &result);
            }
#endif
        } else {
            st = ta_app_begin_clip(&ta_app_instance, 1.0f);
            if (st == TA_OK) {
                st = run_streamed_clip(clip, hop, &result);
            }
            if (st == TA_ERR_IO) {
                break; /* end of input (a partial clip at the end is ignored) */
            }
        }
        if (st != TA_OK) {
            return fail("clip failed with status", (int32_t)st);
        }
        if (!result.ready ||
            ta_platform_emit_result(result.index, result.label, result.scores, TA_MODEL_OUTPUT_BYTES) !=
                TA_PLATFORM_OK) {
            return fail("cannot emit the result of clip", (int32_t)clips);
        }
        clips++;
    }
    log_number("TA_DONE clips=", clips);
    log_number("TA_STACK_HWM bytes=", ta_platform_stack_high_water());
    ta_platform_close();
    return 0;
}
