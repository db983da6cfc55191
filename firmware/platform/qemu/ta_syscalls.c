/* A bounded heap for newlib's malloc (used only by stdio in test harnesses such as
 * ta_tensor_main.c): the linker script reserves [__heap_start, __heap_end). Replaces librdimon's
 * _sbrk, which assumes the heap grows towards the stack. */
#include <errno.h>
#include <stddef.h>
#include <stdint.h>

extern char __heap_start[];
extern char __heap_end[];

void *_sbrk(ptrdiff_t increment);
void *_sbrk(ptrdiff_t increment)
{
    static char *brk = __heap_start;
    char *previous = brk;
    if (increment < 0 || (size_t)increment > (size_t)(__heap_end - brk)) {
        errno = ENOMEM;
        return (void *)-1;
    }
    brk += increment;
    return previous;
}

/* newlib's exit() runs __libc_fini_array, which calls _fini from crti.o; -nostartfiles leaves
 * crti.o out, and nothing here needs init/fini hooks. */
void _init(void);
void _fini(void);
void _init(void)
{
}
void _fini(void)
{
}
