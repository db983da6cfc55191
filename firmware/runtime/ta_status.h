/* Status codes shared by the tinyaudio C runtime (kernels, generated models, app core).
 *
 * Every function that can fail returns ta_status_t; TA_OK is zero so `if (st != TA_OK)` reads naturally.
 * Values are stable: they cross into test harnesses and exit codes. */
#ifndef TA_STATUS_H
#define TA_STATUS_H

typedef enum {
    TA_OK = 0,
    TA_ERR_NULL = 1,        /* a required pointer was NULL */
    TA_ERR_SHAPE = 2,       /* tensor sizes inconsistent with each other */
    TA_ERR_PARAM = 3,       /* a parameter is outside the supported range (shift, stride, zero point...) */
    TA_ERR_UNSUPPORTED = 4, /* a valid configuration this build does not implement */
    TA_ERR_STATE = 5,       /* called in the wrong order (e.g. invoke before init) */
    TA_ERR_IO = 6,          /* reading or writing a file/stream failed (host tools, semihosting) */
    TA_ERR_CAPACITY = 7     /* a caller-given buffer is too small */
} ta_status_t;

/* Precondition check in the spirit of emlearn's EML_PRECONDITION: returns `status` from the
 * enclosing function when `cond` is false. Cheap enough to keep on device. */
#define TA_PRECONDITION(cond, status) \
    do {                              \
        if (!(cond)) {                \
            return (status);          \
        }                             \
    } while (0)

/* Human-readable name of a status, for host tools and logs. Never NULL. */
static inline const char *ta_status_name(ta_status_t status)
{
    switch (status) {
    case TA_OK: return "TA_OK";
    case TA_ERR_NULL: return "TA_ERR_NULL";
    case TA_ERR_SHAPE: return "TA_ERR_SHAPE";
    case TA_ERR_PARAM: return "TA_ERR_PARAM";
    case TA_ERR_UNSUPPORTED: return "TA_ERR_UNSUPPORTED";
    case TA_ERR_STATE: return "TA_ERR_STATE";
    case TA_ERR_IO: return "TA_ERR_IO";
    case TA_ERR_CAPACITY: return "TA_ERR_CAPACITY";
    }
    return "TA_ERR_UNKNOWN";
}

#endif /* TA_STATUS_H */
