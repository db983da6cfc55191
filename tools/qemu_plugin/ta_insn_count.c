/* tinyaudio instruction-count plugin for QEMU's TCG (plugin API version 1, QEMU 7.x).
 *
 * Counts every guest instruction executed (an inline add per instruction, so the count is exact
 * even when a translation block is left early) and, for named regions, the instructions executed
 * between a begin marker and an end marker. Markers are instruction addresses (the entry of the
 * firmware's empty ta_probe_*_begin/_end functions), passed by the Python driver, which reads them
 * from the ELF symbol table.
 *
 * Arguments (-plugin libta_insn_count.so,out=FILE,region=NAME:BEGIN:END,...):
 *   out=FILE               where to write the report (default: QEMU's log via qemu_plugin_outs)
 *   region=NAME:BEGIN:END  a region; BEGIN/END in hex or decimal; up to TA_MAX_REGIONS
 * Report, one line each:  total <insns>  /  region <name> <calls> <insns> <min> <max>
 *
 * Debian's QEMU ships no qemu-plugin.h, so the few API declarations used here are written out
 * below from the version-1 API (include/qemu/qemu-plugin.h of QEMU 7.2). */
#include <inttypes.h>
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

/* ---- QEMU plugin API, version 1 (declarations only) ---- */
#define TA_PLUGIN_EXPORT __attribute__((visibility("default")))

typedef uint64_t qemu_plugin_id_t;

typedef struct {
    const char *target_name;
    struct {
        int min;
        int cur;
    } version;
    bool system_emulation;
    union {
        struct {
            int smp_vcpus;
            int max_vcpus;
        } system;
    };
} qemu_info_t;

struct qemu_plugin_tb;
struct qemu_plugin_insn;

enum qemu_plugin_cb_flags { QEMU_PLUGIN_CB_NO_REGS, QEMU_PLUGIN_CB_R_REGS, QEMU_PLUGIN_CB_RW_REGS };
enum qemu_plugin_op { QEMU_PLUGIN_INLINE_ADD_U64 };

typedef void (*qemu_plugin_udata_cb_t)(qemu_plugin_id_t id, void *userdata);
typedef void (*qemu_plugin_vcpu_udata_cb_t)(unsigned int vcpu_index, void *userdata);
typedef void (*qemu_plugin_vcpu_tb_trans_cb_t)(qemu_plugin_id_t id, struct qemu_plugin_tb *tb);

void qemu_plugin_register_vcpu_tb_trans_cb(qemu_plugin_id_t id, qemu_plugin_vcpu_tb_trans_cb_t cb);
void qemu_plugin_register_vcpu_insn_exec_cb(struct qemu_plugin_insn *insn, qemu_plugin_vcpu_udata_cb_t cb,
                                            enum qemu_plugin_cb_flags flags, void *userdata);
void qemu_plugin_register_vcpu_insn_exec_inline(struct qemu_plugin_insn *insn, enum qemu_plugin_op op,
                                                void *ptr, uint64_t imm);
size_t qemu_plugin_tb_n_insns(const struct qemu_plugin_tb *tb);
struct qemu_plugin_insn *qemu_plugin_tb_get_insn(const struct qemu_plugin_tb *tb, size_t idx);
uint64_t qemu_plugin_insn_vaddr(const struct qemu_plugin_insn *insn);
void qemu_plugin_register_atexit_cb(qemu_plugin_id_t id, qemu_plugin_udata_cb_t cb, void *userdata);
void qemu_plugin_outs(const char *string);

TA_PLUGIN_EXPORT int qemu_plugin_version = 1;
TA_PLUGIN_EXPORT int qemu_plugin_install(qemu_plugin_id_t id, const qemu_info_t *info, int argc, char **argv);
/* ---- end of API declarations ---- */

#define TA_MAX_REGIONS 16
#define TA_NAME_BYTES 48

typedef struct {
    char name[TA_NAME_BYTES];
    uint64_t begin_addr;
    uint64_t end_addr;
    uint64_t start_count; /* total at the last begin marker */
    bool open;
    uint64_t calls;
    uint64_t insns;
    uint64_t min;
    uint64_t max;
} region_t;

/* One vCPU on the Cortex-M machines, so a plain counter is exact. */
static uint64_t total_insns;
static region_t regions[TA_MAX_REGIONS];
static int num_regions;
static char out_path[1024];

static void on_begin(unsigned int vcpu_index, void *userdata)
{
    (void)vcpu_index;
    region_t *r = userdata;
    r->start_count = total_insns;
    r->open = true;
}

static void on_end(unsigned int vcpu_index, void *userdata)
{
    (void)vcpu_index;
    region_t *r = userdata;
    if (!r->open) {
        return;
    }
    uint64_t n = total_insns - r->start_count;
    r->open = false;
    r->insns += n;
    if (r->calls == 0 || n < r->min) {
        r->min = n;
    }
    if (n > r->max) {
        r->max = n;
    }
    r->calls++;
}

static void on_translate(qemu_plugin_id_t id, struct qemu_plugin_tb *tb)
{
    (void)id;
    size_t n = qemu_plugin_tb_n_insns(tb);
    for (size_t i = 0; i < n; i++) {
        struct qemu_plugin_insn *insn = qemu_plugin_tb_get_insn(tb, i);
        uint64_t addr = qemu_plugin_insn_vaddr(insn);
        /* Markers first, so a marker instruction itself counts inside its region's end. */
        for (int r = 0; r < num_regions; r++) {
            if (addr == regions[r].begin_addr) {
                qemu_plugin_register_vcpu_insn_exec_cb(insn, on_begin, QEMU_PLUGIN_CB_NO_REGS, &regions[r]);
            }
            if (addr == regions[r].end_addr) {
                qemu_plugin_register_vcpu_insn_exec_cb(insn, on_end, QEMU_PLUGIN_CB_NO_REGS, &regions[r]);
            }
        }
        qemu_plugin_register_vcpu_insn_exec_inline(insn, QEMU_PLUGIN_INLINE_ADD_U64, &total_insns, 1);
    }
}

static void write_report(qemu_plugin_id_t id, void *userdata)
{
    (void)id;
    (void)userdata;
    char line[256];
    FILE *f = out_path[0] != '\0' ? fopen(out_path, "w") : NULL;
    snprintf(line, sizeof line, "total %" PRIu64 "\n", total_insns);
    if (f != NULL) {
        fputs(line, f);
    } else {
        qemu_plugin_outs(line);
    }
    for (int r = 0; r < num_regions; r++) {
        snprintf(line, sizeof line, "region %.47s %" PRIu64 " %" PRIu64 " %" PRIu64 " %" PRIu64 "\n", regions[r].name,
                 regions[r].calls, regions[r].insns, regions[r].min, regions[r].max);
        if (f != NULL) {
            fputs(line, f);
        } else {
            qemu_plugin_outs(line);
        }
    }
    if (f != NULL) {
        fclose(f);
    }
}

/* NAME:BEGIN:END -> regions[num_regions]; returns false on a malformed spec. */
static bool parse_region(const char *spec)
{
    if (num_regions == TA_MAX_REGIONS) {
        return false;
    }
    const char *c1 = strchr(spec, ':');
    const char *c2 = c1 != NULL ? strchr(c1 + 1, ':') : NULL;
    if (c1 == NULL || c2 == NULL || c1 == spec || (size_t)(c1 - spec) >= TA_NAME_BYTES) {
        return false;
    }
    region_t *r = &regions[num_regions];
    memset(r, 0, sizeof *r);
    memcpy(r->name, spec, (size_t)(c1 - spec));
    char *stop = NULL;
    /* Thumb function symbols carry bit 0; instruction addresses do not. */
    r->begin_addr = strtoull(c1 + 1, &stop, 0) & ~(uint64_t)1;
    if (stop != c2) {
        return false;
    }
    r->end_addr = strtoull(c2 + 1, &stop, 0) & ~(uint64_t)1;
    if (*stop != '\0') {
        return false;
    }
    num_regions++;
    return true;
}

TA_PLUGIN_EXPORT int qemu_plugin_install(qemu_plugin_id_t id, const qemu_info_t *info, int argc, char **argv)
{
    (void)info;
    for (int i = 0; i < argc; i++) {
        const char *arg = argv[i];
        if (strncmp(arg, "arg=", 4) == 0) { /* older "-plugin x.so,arg=k=v" spelling */
            arg += 4;
        }
        if (strncmp(arg, "out=", 4) == 0) {
            snprintf(out_path, sizeof out_path, "%s", arg + 4);
        } else if (strncmp(arg, "region=", 7) == 0) {
            if (!parse_region(arg + 7)) {
                fprintf(stderr, "ta_insn_count: bad region '%s' (want NAME:BEGIN:END, at most %d)\n", arg + 7,
                        TA_MAX_REGIONS);
                return -1;
            }
        } else {
            fprintf(stderr, "ta_insn_count: unknown argument '%s'\n", arg);
            return -1;
        }
    }
    qemu_plugin_register_vcpu_tb_trans_cb(id, on_translate);
    qemu_plugin_register_atexit_cb(id, write_report, NULL);
    return 0;
}
