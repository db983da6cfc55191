/* Startup for the QEMU Cortex-M machines (mps2-an386 Cortex-M4F, mps3-an547 Cortex-M55).
 *
 * Reset: switch thread code to the process stack, copy .data, zero .bss, paint the stack, enable the FPU and the separate fault handlers,
 * split the semihosting command line into argv, call main() and exit QEMU with its return value.
 * Every fault or unexpected exception prints its registers and exits with a code (ta_qemu.h), so a
 * broken program ends instead of hanging. */
#include <stddef.h>
#include <stdint.h>

#include "ta_qemu.h"
#include "ta_semihost.h"

/* Symbols from the linker scripts (mps2_an386.ld, mps3_an547.ld). */
extern uint32_t __data_load[];
extern uint32_t __data_start[];
extern uint32_t __data_end[];
extern uint32_t __bss_start[];
extern uint32_t __bss_end[];
extern uint32_t __stack_bottom[];
extern uint32_t __stack_top[];
extern uint32_t __handler_stack_top[];

int main(int argc, char **argv);

/* From newlib's librdimon: only linked (and then called) when some code uses stdio. */
extern void initialise_monitor_handles(void) __attribute__((weak));

#define TA_SCB_CPACR (*(volatile uint32_t *)0xE000ED88u)
#define TA_SCB_SHCSR (*(volatile uint32_t *)0xE000ED24u)
#define TA_SCB_CCR (*(volatile uint32_t *)0xE000ED14u)
#define TA_SCB_CFSR (*(volatile uint32_t *)0xE000ED28u)
#define TA_SCB_HFSR (*(volatile uint32_t *)0xE000ED2Cu)
#define TA_SCB_MMFAR (*(volatile uint32_t *)0xE000ED34u)
#define TA_SCB_BFAR (*(volatile uint32_t *)0xE000ED38u)

#define TA_MAX_ARGS 8
#define TA_CMDLINE_BYTES 512

static char cmdline[TA_CMDLINE_BYTES];
static char *arg_list[TA_MAX_ARGS + 1];

static uint32_t current_sp(void)
{
    uint32_t sp;
    __asm__ volatile("mov %0, sp" : "=r"(sp));
    return sp;
}

#define TA_MPU_CTRL (*(volatile uint32_t *)0xE000ED94u)
#define TA_MPU_RNR (*(volatile uint32_t *)0xE000ED98u)
#define TA_MPU_RBAR (*(volatile uint32_t *)0xE000ED9Cu)
#define TA_MPU_RASR (*(volatile uint32_t *)0xE000EDA0u)

static uint32_t *stack_floor(void)
{
    return __stack_bottom + TA_QEMU_STACK_GUARD_BYTES / sizeof(uint32_t);
}

static void guard_stack(void)
{
#if defined(__ARM_ARCH_8M_MAIN__) || defined(__ARM_ARCH_8_1M_MAIN__)
    /* v8-M: the process stack limit register faults (UsageFault STKOF) below the floor. */
    __asm__ volatile("msr psplim, %0" ::"r"((uint32_t)(uintptr_t)stack_floor()) : "memory");
#else
    /* PMSAv7, no access and never executable: region 0 = the 32-byte guard; region 1 = the 256 MB below
     * RAM (0x10000000-0x1FFFFFFF, which mps2 does not fault on by itself), so a frame larger than the
     * guard that jumps over it still faults. Everything else keeps the default memory map for
     * privileged code (PRIVDEFENA). */
    TA_MPU_RNR = 0u;
    TA_MPU_RBAR = (uint32_t)(uintptr_t)__stack_bottom;
    TA_MPU_RASR = (1u << 28) | (0u << 24) | (4u << 1) | 1u; /* XN, AP=none, 2^(4+1) = 32 B, enabled */
    if ((uintptr_t)__stack_bottom == 0x20000000u) {
        TA_MPU_RNR = 1u;
        TA_MPU_RBAR = 0x10000000u;
        TA_MPU_RASR = (1u << 28) | (0u << 24) | (27u << 1) | 1u; /* 2^(27+1) = 256 MB */
    }
    TA_MPU_CTRL = (1u << 2) | 1u;
#endif
    __asm__ volatile("dsb\n\tisb" ::: "memory");
}

static void paint_stack(void)
{
    /* Leave the words this function itself may be using (a generous margin below sp). */
    uint32_t *limit = (uint32_t *)(current_sp() - 64u);
    for (uint32_t *p = stack_floor(); p < limit; ++p) {
        *p = TA_QEMU_STACK_PAINT;
    }
}

uint32_t ta_qemu_stack_size(void)
{
    return (uint32_t)((uintptr_t)__stack_top - (uintptr_t)stack_floor());
}

uint32_t ta_qemu_stack_high_water(void)
{
    const uint32_t *p = stack_floor();
    while (p < __stack_top && *p == TA_QEMU_STACK_PAINT) {
        ++p;
    }
    return (uint32_t)((uintptr_t)__stack_top - (uintptr_t)p);
}

void ta_qemu_print_hex(const char *prefix, uint32_t value)
{
    static const char digits[] = "0123456789abcdef";
    char text[12];
    text[0] = '0';
    text[1] = 'x';
    for (int i = 0; i < 8; ++i) {
        text[2 + i] = digits[(value >> (28 - 4 * i)) & 0xFu];
    }
    text[10] = '\0';
    ta_semihost_write0(prefix);
    ta_semihost_write0(text);
}

static int split_cmdline(void)
{
    int argc = 0;
    if (ta_semihost_get_cmdline(cmdline, sizeof cmdline) != 0) {
        cmdline[0] = '\0';
    }
    cmdline[TA_CMDLINE_BYTES - 1] = '\0';
    char *p = cmdline;
    while (*p != '\0') {
        while (*p == ' ') {
            *p++ = '\0';
        }
        if (*p == '\0') {
            break;
        }
        if (argc == TA_MAX_ARGS) {
            ta_semihost_write0("TA_ERROR too many arguments on the semihosting command line\n");
            ta_semihost_exit(TA_QEMU_EXIT_CMDLINE);
        }
        arg_list[argc++] = p;
        while (*p != '\0' && *p != ' ') {
            ++p;
        }
    }
    arg_list[argc] = NULL;
    return argc;
}

void ta_reset_main(void) __attribute__((noreturn, used));
void ta_reset_main(void)
{
    const uint32_t *src = __data_load;
    for (uint32_t *dst = __data_start; dst < __data_end; ++dst) {
        *dst = *src++;
    }
    for (uint32_t *dst = __bss_start; dst < __bss_end; ++dst) {
        *dst = 0u;
    }
    guard_stack();
    paint_stack();

    /* Full access to CP10/CP11 (FPU, and MVE on the M55). */
    TA_SCB_CPACR |= (0xFu << 20);
    /* Separate MemManage, BusFault, UsageFault (and SecureFault on v8-M) handlers. */
    TA_SCB_SHCSR |= (1u << 16) | (1u << 17) | (1u << 18) | (1u << 19);
    /* Integer division by zero traps instead of silently giving 0. */
    TA_SCB_CCR |= (1u << 4);
    __asm__ volatile("dsb\n\tisb" ::: "memory");

    if (initialise_monitor_handles != NULL) {
        initialise_monitor_handles();
    }
    int argc = split_cmdline();
    int rc = main(argc, arg_list);
    /* Every program reports its deepest stack use on the debug console (QEMU's stderr). */
    char line[40] = "TA_STACK_HWM bytes=";
    uint32_t used = ta_qemu_stack_high_water();
    char digits[12];
    int n = 0;
    do {
        digits[n++] = (char)('0' + used % 10u);
        used /= 10u;
    } while (used != 0u);
    int len = 19;
    while (n > 0) {
        line[len++] = digits[--n];
    }
    line[len++] = '\n';
    line[len] = '\0';
    ta_semihost_write0(line);
    ta_semihost_exit(rc);
}

/* Reset starts on the handler stack (MSP, vector 0). Thread code moves to the process stack (PSP) so
 * that a stack overflow in main() leaves the fault handler a working stack. */
void ta_reset_handler(void) __attribute__((naked, noreturn));
void ta_reset_handler(void)
{
    __asm__ volatile(
        "ldr r0, =__stack_top\n\t"
        "msr psp, r0\n\t"
        "movs r0, #2\n\t" /* CONTROL.SPSEL = 1: thread mode uses PSP */
        "msr control, r0\n\t"
        "isb\n\t"
        "b ta_reset_main\n\t"
        ".ltorg\n\t");
}

/* Called with the stacked exception frame (r0-r3, r12, lr, pc, xpsr). */
void ta_fault_report(const uint32_t *frame, uint32_t exc_return) __attribute__((noreturn, used));
void ta_fault_report(const uint32_t *frame, uint32_t exc_return)
{
    uint32_t ipsr;
    __asm__ volatile("mrs %0, ipsr" : "=r"(ipsr));
    uint32_t exception = ipsr & 0x1FFu;
    static const char *const names[] = {"thread", "reset", "NMI", "HardFault", "MemManage", "BusFault",
                                        "UsageFault", "SecureFault"};
    ta_semihost_write0("TA_FAULT ");
    ta_semihost_write0(exception < 8u ? names[exception] : "exception");
    ta_qemu_print_hex(" ipsr=", ipsr);
    /* The frame pointer itself may be bad (stack overflow): only read it inside the stack region. */
    if ((uintptr_t)frame >= (uintptr_t)stack_floor() && (uintptr_t)(frame + 8) <= (uintptr_t)__stack_top) {
        ta_qemu_print_hex(" pc=", frame[6]);
        ta_qemu_print_hex(" lr=", frame[5]);
    }
    ta_qemu_print_hex(" exc_return=", exc_return);
    ta_qemu_print_hex(" cfsr=", TA_SCB_CFSR);
    ta_qemu_print_hex(" hfsr=", TA_SCB_HFSR);
    ta_qemu_print_hex(" mmfar=", TA_SCB_MMFAR);
    ta_qemu_print_hex(" bfar=", TA_SCB_BFAR);
    ta_semihost_write0("\n");
    uint32_t code = TA_QEMU_EXIT_FAULT_BASE + exception;
    ta_semihost_exit((int32_t)(code > TA_QEMU_EXIT_FAULT_MAX ? TA_QEMU_EXIT_FAULT_MAX : code));
}

/* Picks the stack the frame was pushed on (bit 2 of EXC_RETURN) and reports. */
void ta_fault_handler(void) __attribute__((naked, noreturn));
void ta_fault_handler(void)
{
    __asm__ volatile(
        "tst lr, #4\n\t"
        "ite eq\n\t"
        "mrseq r0, msp\n\t"
        "mrsne r0, psp\n\t"
        "mov r1, lr\n\t"
        "b ta_fault_report\n\t");
}

typedef void (*ta_vector_t)(void);

/* 16 system exceptions + 16 external interrupts are enough: nothing here enables an interrupt,
 * and any that fires anyway lands in the fault handler and exits with a code. */
__attribute__((section(".vectors"), used)) const ta_vector_t ta_vector_table[32] = {
    (ta_vector_t)(uintptr_t)__handler_stack_top,
    ta_reset_handler,
    ta_fault_handler, /* NMI */
    ta_fault_handler, /* HardFault */
    ta_fault_handler, /* MemManage */
    ta_fault_handler, /* BusFault */
    ta_fault_handler, /* UsageFault */
    ta_fault_handler, /* SecureFault (v8-M) */
    0, 0, 0,
    ta_fault_handler, /* SVCall */
    ta_fault_handler, /* DebugMonitor */
    0,
    ta_fault_handler, /* PendSV */
    ta_fault_handler, /* SysTick */
    ta_fault_handler, ta_fault_handler, ta_fault_handler, ta_fault_handler,
    ta_fault_handler, ta_fault_handler, ta_fault_handler, ta_fault_handler,
    ta_fault_handler, ta_fault_handler, ta_fault_handler, ta_fault_handler,
    ta_fault_handler, ta_fault_handler, ta_fault_handler, ta_fault_handler,
};
