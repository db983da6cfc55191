/*
 * tinyaudio._frontend.MicroFrontend: CPython glue over the micro frontend (firmware/frontend/
 * ta_micro_frontend.h), registered into the tinyaudio._frontend module by _frontend_module.c.
 *
 * Only argument conversion lives here; every number comes from ta_micro_frontend*.c and ta_fft_i16.c.
 * Configs arrive as dicts of ta_mfe_config_t field names (tinyaudio.frontend.micro_c_fields()).
 */
#define PY_SSIZE_T_CLEAN
#include <Python.h>
#define PY_ARRAY_UNIQUE_SYMBOL tinyaudio_frontend_ARRAY_API
#define NO_IMPORT_ARRAY
#include <numpy/arrayobject.h>

#include "ta_micro_frontend.h"

int ta_py_add_micro_frontend(PyObject *module);

typedef struct {
    PyObject_HEAD
    ta_mfe_t fe;                    /* inside the Python object (the host has a heap; the device does not) */
    ta_mfe_table_storage_t storage; /* the tables fe uses, built by ta_mfe_init() */
} MicroFrontendObject;

static int get_number(PyObject *dict, const char *key, double *out)
{
    PyObject *value = PyDict_GetItemString(dict, key); /* borrowed */
    if (value == NULL) {
        PyErr_Format(PyExc_KeyError, "micro frontend config dict lacks '%s'", key);
        return -1;
    }
    *out = PyFloat_AsDouble(value);
    if (*out == -1.0 && PyErr_Occurred()) {
        return -1;
    }
    return 0;
}

static int get_uint(PyObject *dict, const char *key, double max, uint32_t *out)
{
    double v;
    if (get_number(dict, key, &v) < 0) {
        return -1;
    }
    if (!(v >= 0.0 && v <= max) || v != (double)(uint32_t)v) {
        PyErr_Format(PyExc_ValueError, "micro frontend config field '%s' must be an integer in 0..%.0f", key, max);
        return -1;
    }
    *out = (uint32_t)v;
    return 0;
}

static int mfe_config_from_dict(PyObject *dict, ta_mfe_config_t *cfg)
{
    uint32_t u;
    double d;
    if (!PyDict_Check(dict)) {
        PyErr_SetString(PyExc_TypeError, "micro frontend config must be a dict of ta_mfe_config_t fields");
        return -1;
    }
    memset(cfg, 0, sizeof(*cfg));
#define TA_U32(name) if (get_uint(dict, #name, 4294967295.0, &u) < 0) return -1; cfg->name = u;
#define TA_U16(name) if (get_uint(dict, #name, 65535.0, &u) < 0) return -1; cfg->name = (uint16_t)u;
#define TA_U8(name) if (get_uint(dict, #name, 255.0, &u) < 0) return -1; cfg->name = (uint8_t)u;
#define TA_F32(name) if (get_number(dict, #name, &d) < 0) return -1; cfg->name = (float)d;
    TA_U32(sample_rate_hz)
    TA_U32(clip_samples)
    TA_U16(window_size_ms)
    TA_U16(window_step_ms)
    TA_U16(num_channels)
    TA_F32(upper_band_limit_hz)
    TA_F32(lower_band_limit_hz)
    TA_U8(smoothing_bits)
    TA_F32(even_smoothing)
    TA_F32(odd_smoothing)
    TA_F32(min_signal_remaining)
    TA_U8(enable_pcan)
    TA_F32(pcan_strength)
    TA_F32(pcan_offset)
    TA_U8(gain_bits)
    TA_U8(enable_log)
    TA_U8(scale_shift)
    TA_U16(left_context)
    TA_U16(right_context)
    TA_U16(frame_stride)
    TA_U8(zero_padding)
    TA_U16(out_scale)
    TA_U8(out_type)
#undef TA_U32
#undef TA_U16
#undef TA_U8
#undef TA_F32
    return 0;
}

static PyObject *raise_mfe(ta_mfe_status_t status, const char *what)
{
    PyErr_Format(PyExc_ValueError, "C micro frontend %s: %s (status %d)", what, ta_mfe_status_str(status),
                 (int)status);
    return NULL;
}

static int MicroFrontend_init(MicroFrontendObject *self, PyObject *args, PyObject *kwds)
{
    PyObject *dict;
    ta_mfe_config_t cfg;
    ta_mfe_status_t status;
    static char *kwlist[] = {"config", NULL};
    if (!PyArg_ParseTupleAndKeywords(args, kwds, "O", kwlist, &dict) || mfe_config_from_dict(dict, &cfg) < 0) {
        return -1;
    }
    status = ta_mfe_init(&self->fe, &cfg, &self->storage);
    if (status != TA_MFE_OK) {
        raise_mfe(status, "rejected the config");
        return -1;
    }
    return 0;
}

static int check_init(MicroFrontendObject *self)
{
    if (self->fe.initialized != TA_MFE_MAGIC) {
        PyErr_SetString(PyExc_RuntimeError, "MicroFrontend object was not initialized");
        return -1;
    }
    return 0;
}

static PyArrayObject *as_int16(PyObject *obj, int ndim)
{
    return (PyArrayObject *)PyArray_FROMANY(obj, NPY_INT16, ndim, ndim, NPY_ARRAY_IN_ARRAY);
}

/* Rows of the op's output before out_scale/out_type: uint16 (rows, row_values). */
static PyObject *MicroFrontend_compute_clip(MicroFrontendObject *self, PyObject *arg)
{
    PyArrayObject *audio;
    PyArrayObject *out;
    npy_intp dims[2];
    uint32_t rows = 0;
    uint32_t n;
    ta_mfe_status_t status;
    if (check_init(self) < 0 || (audio = as_int16(arg, 1)) == NULL) {
        return NULL;
    }
    if (PyArray_DIM(audio, 0) > (npy_intp)UINT32_MAX) {
        Py_DECREF(audio);
        PyErr_SetString(PyExc_ValueError, "clip longer than 2^32 samples");
        return NULL;
    }
    n = (uint32_t)PyArray_DIM(audio, 0);
    dims[0] = (npy_intp)ta_mfe_num_rows(self->fe.tables, n);
    dims[1] = (npy_intp)ta_mfe_row_values(self->fe.tables);
    out = (PyArrayObject *)PyArray_ZEROS(2, dims, NPY_UINT16, 0);
    if (out == NULL) {
        Py_DECREF(audio);
        return NULL;
    }
    Py_BEGIN_ALLOW_THREADS
    status = ta_mfe_compute_clip(&self->fe, (const int16_t *)PyArray_DATA(audio), n,
                                 (uint16_t *)PyArray_DATA(out), (uint32_t)dims[0], &rows);
    Py_END_ALLOW_THREADS
    Py_DECREF(audio);
    if (status != TA_MFE_OK || rows != (uint32_t)dims[0]) {
        Py_DECREF(out);
        return raise_mfe(status != TA_MFE_OK ? status : TA_MFE_ERR_CAPACITY, "compute_clip failed");
    }
    return (PyObject *)out;
}

static PyObject *MicroFrontend_compute_batch(MicroFrontendObject *self, PyObject *arg)
{
    PyArrayObject *audio;
    PyArrayObject *out;
    npy_intp dims[3];
    npy_intp i;
    uint32_t n;
    size_t stride;
    ta_mfe_status_t status = TA_MFE_OK;
    if (check_init(self) < 0 || (audio = as_int16(arg, 2)) == NULL) {
        return NULL;
    }
    if (PyArray_DIM(audio, 1) > (npy_intp)UINT32_MAX) {
        Py_DECREF(audio);
        PyErr_SetString(PyExc_ValueError, "clip longer than 2^32 samples");
        return NULL;
    }
    n = (uint32_t)PyArray_DIM(audio, 1);
    dims[0] = PyArray_DIM(audio, 0);
    dims[1] = (npy_intp)ta_mfe_num_rows(self->fe.tables, n);
    dims[2] = (npy_intp)ta_mfe_row_values(self->fe.tables);
    out = (PyArrayObject *)PyArray_ZEROS(3, dims, NPY_UINT16, 0);
    if (out == NULL) {
        Py_DECREF(audio);
        return NULL;
    }
    stride = (size_t)dims[1] * (size_t)dims[2];
    Py_BEGIN_ALLOW_THREADS
    for (i = 0; i < dims[0] && status == TA_MFE_OK; ++i) {
        uint32_t rows = 0;
        status = ta_mfe_compute_clip(&self->fe, (const int16_t *)PyArray_DATA(audio) + (size_t)i * n, n,
                                     (uint16_t *)PyArray_DATA(out) + (size_t)i * stride, (uint32_t)dims[1], &rows);
    }
    Py_END_ALLOW_THREADS
    Py_DECREF(audio);
    if (status != TA_MFE_OK) {
        Py_DECREF(out);
        return raise_mfe(status, "compute_clip failed");
    }
    return (PyObject *)out;
}

/* Streaming: pushes every sample of the array (any length); returns the rows completed, uint16
 * (k, row_values), k >= 0. */
static PyObject *MicroFrontend_push(MicroFrontendObject *self, PyObject *arg)
{
    PyArrayObject *samples;
    PyObject *out;
    uint16_t row[TA_MFE_MAX_STACK * TA_MFE_MAX_CHANNELS];
    uint32_t width;
    uint32_t n;
    uint32_t pos = 0;
    npy_intp dims[2];
    PyObject *rows_list;
    if (check_init(self) < 0 || (samples = as_int16(arg, 1)) == NULL) {
        return NULL;
    }
    width = ta_mfe_row_values(self->fe.tables);
    n = (uint32_t)PyArray_DIM(samples, 0);
    rows_list = PyList_New(0);
    if (rows_list == NULL) {
        Py_DECREF(samples);
        return NULL;
    }
    while (pos < n) {
        uint32_t used = 0;
        ta_mfe_status_t st = ta_mfe_push(&self->fe, (const int16_t *)PyArray_DATA(samples) + pos, n - pos, &used, row);
        pos += used;
        if (st == TA_MFE_OK) {
            PyObject *bytes = PyBytes_FromStringAndSize((const char *)row, (Py_ssize_t)(width * sizeof(uint16_t)));
            if (bytes == NULL || PyList_Append(rows_list, bytes) < 0) {
                Py_XDECREF(bytes);
                Py_DECREF(rows_list);
                Py_DECREF(samples);
                return NULL;
            }
            Py_DECREF(bytes);
        } else if (st != TA_MFE_NEED_MORE) {
            Py_DECREF(rows_list);
            Py_DECREF(samples);
            return raise_mfe(st, "push failed");
        }
    }
    Py_DECREF(samples);
    dims[0] = PyList_GET_SIZE(rows_list);
    dims[1] = (npy_intp)width;
    out = PyArray_ZEROS(2, dims, NPY_UINT16, 0);
    if (out != NULL) {
        npy_intp i;
        for (i = 0; i < dims[0]; ++i) {
            memcpy((uint16_t *)PyArray_DATA((PyArrayObject *)out) + (size_t)i * width,
                   PyBytes_AS_STRING(PyList_GET_ITEM(rows_list, i)), width * sizeof(uint16_t));
        }
    }
    Py_DECREF(rows_list);
    return out;
}

/* The next remaining row of the clip (uint16 row_values) or None. */
static PyObject *MicroFrontend_flush(MicroFrontendObject *self, PyObject *Py_UNUSED(ignored))
{
    uint16_t row[TA_MFE_MAX_STACK * TA_MFE_MAX_CHANNELS];
    npy_intp dims[1];
    PyObject *out;
    ta_mfe_status_t st;
    if (check_init(self) < 0) {
        return NULL;
    }
    st = ta_mfe_flush(&self->fe, row);
    if (st == TA_MFE_DONE) {
        Py_RETURN_NONE;
    }
    if (st != TA_MFE_OK) {
        return raise_mfe(st, "flush failed");
    }
    dims[0] = (npy_intp)ta_mfe_row_values(self->fe.tables);
    out = PyArray_SimpleNew(1, dims, NPY_UINT16);
    if (out != NULL) {
        memcpy(PyArray_DATA((PyArrayObject *)out), row, (size_t)dims[0] * sizeof(uint16_t));
    }
    return out;
}

static PyObject *MicroFrontend_reset(MicroFrontendObject *self, PyObject *Py_UNUSED(ignored))
{
    ta_mfe_status_t st;
    if (check_init(self) < 0) {
        return NULL;
    }
    st = ta_mfe_reset(&self->fe);
    if (st != TA_MFE_OK) {
        return raise_mfe(st, "reset failed");
    }
    Py_RETURN_NONE;
}

static int put_array(PyObject *dict, const char *key, int typenum, const void *data, size_t n, size_t item_bytes)
{
    npy_intp dims[1];
    PyObject *arr;
    int rc;
    dims[0] = (npy_intp)n;
    arr = PyArray_SimpleNew(1, dims, typenum);
    if (arr == NULL) {
        return -1;
    }
    if (n > 0u && data != NULL) {
        memcpy(PyArray_DATA((PyArrayObject *)arr), data, n * item_bytes);
    }
    rc = PyDict_SetItemString(dict, key, arr);
    Py_DECREF(arr);
    return rc;
}

static int put_int(PyObject *dict, const char *key, long value)
{
    PyObject *obj = PyLong_FromLong(value);
    int rc;
    if (obj == NULL) {
        return -1;
    }
    rc = PyDict_SetItemString(dict, key, obj);
    Py_DECREF(obj);
    return rc;
}

/* Every table, exactly as ta_mfe_build_tables() built them (Python prints them as const C arrays).
 * Complex twiddles as int16 (k, 2) arrays. */
static PyObject *MicroFrontend_tables(MicroFrontendObject *self, PyObject *Py_UNUSED(ignored))
{
    const ta_mfe_tables_t *t;
    PyObject *d;
    size_t bands;
    size_t half;
    if (check_init(self) < 0) {
        return NULL;
    }
    t = self->fe.tables;
    bands = (size_t)t->config.num_channels + 1u;
    half = (size_t)t->fft.n / 2u;
    d = PyDict_New();
    if (d == NULL) {
        return NULL;
    }
    if (put_int(d, "version", (long)t->version) < 0 || put_int(d, "window_samples", t->window_samples) < 0 ||
        put_int(d, "step_samples", t->step_samples) < 0 || put_int(d, "fft_n", t->fft.n) < 0 ||
        put_array(d, "window", NPY_INT16, t->window, t->window_samples, sizeof(int16_t)) < 0 ||
        put_array(d, "twiddles", NPY_INT16, t->fft.twiddles, 2u * half, sizeof(int16_t)) < 0 ||
        put_array(d, "super_twiddles", NPY_INT16, t->fft.super_twiddles, half, sizeof(int16_t)) < 0 ||
        put_array(d, "band_start", NPY_UINT16, t->band_start, bands, sizeof(uint16_t)) < 0 ||
        put_array(d, "band_width", NPY_UINT16, t->band_width, bands, sizeof(uint16_t)) < 0 ||
        put_array(d, "weights", NPY_INT16, t->weights, t->num_weights, sizeof(int16_t)) < 0 ||
        put_array(d, "unweights", NPY_INT16, t->unweights, t->num_weights, sizeof(int16_t)) < 0 ||
        put_int(d, "even_smoothing", t->even_smoothing) < 0 || put_int(d, "odd_smoothing", t->odd_smoothing) < 0 ||
        put_int(d, "min_signal_remaining", t->min_signal_remaining) < 0 ||
        put_int(d, "snr_shift", t->snr_shift) < 0 || put_int(d, "correction_bits", t->correction_bits) < 0 ||
        put_array(d, "pcan_lut", NPY_INT16, t->pcan_lut, t->pcan_lut != NULL ? TA_MFE_PCAN_LUT_SIZE : 0u,
                  sizeof(int16_t)) < 0) {
        Py_DECREF(d);
        return NULL;
    }
    return d;
}

static PyObject *MicroFrontend_get_row_values(MicroFrontendObject *self, void *Py_UNUSED(closure))
{
    return PyLong_FromUnsignedLong(ta_mfe_row_values(self->fe.tables));
}

static PyObject *MicroFrontend_get_window_samples(MicroFrontendObject *self, void *Py_UNUSED(closure))
{
    return PyLong_FromUnsignedLong(self->fe.tables != NULL ? self->fe.tables->window_samples : 0u);
}

static PyObject *MicroFrontend_get_step_samples(MicroFrontendObject *self, void *Py_UNUSED(closure))
{
    return PyLong_FromUnsignedLong(self->fe.tables != NULL ? self->fe.tables->step_samples : 0u);
}

static PyMethodDef MicroFrontend_methods[] = {
    {"compute_clip", (PyCFunction)MicroFrontend_compute_clip, METH_O,
     "compute_clip(audio: int16[n]) -> uint16[rows, row_values] (before out_scale/out_type)"},
    {"compute_batch", (PyCFunction)MicroFrontend_compute_batch, METH_O,
     "compute_batch(audio: int16[clips, n]) -> uint16[clips, rows, row_values]"},
    {"push", (PyCFunction)MicroFrontend_push, METH_O, "push(samples: int16[k]) -> uint16[rows, row_values]"},
    {"flush", (PyCFunction)MicroFrontend_flush, METH_NOARGS, "flush() -> next remaining row or None"},
    {"reset", (PyCFunction)MicroFrontend_reset, METH_NOARGS, "reset() starts a new stream"},
    {"tables", (PyCFunction)MicroFrontend_tables, METH_NOARGS, "tables() -> dict of the C-built integer tables"},
    {NULL, NULL, 0, NULL},
};

static PyGetSetDef MicroFrontend_getset[] = {
    {"row_values", (getter)MicroFrontend_get_row_values, NULL, "values per output row", NULL},
    {"window_samples", (getter)MicroFrontend_get_window_samples, NULL, "samples per window", NULL},
    {"step_samples", (getter)MicroFrontend_get_step_samples, NULL, "samples per step", NULL},
    {NULL, NULL, NULL, NULL, NULL},
};

static PyTypeObject MicroFrontendType = {
    PyVarObject_HEAD_INIT(NULL, 0).tp_name = "tinyaudio._frontend.MicroFrontend",
    .tp_basicsize = sizeof(MicroFrontendObject),
    .tp_flags = Py_TPFLAGS_DEFAULT,
    .tp_doc = "MicroFrontend(config: dict) -- one ta_mfe_t state with its tables.",
    .tp_new = PyType_GenericNew,
    .tp_init = (initproc)MicroFrontend_init,
    .tp_methods = MicroFrontend_methods,
    .tp_getset = MicroFrontend_getset,
};

static PyObject *mod_check_micro_config(PyObject *Py_UNUSED(module), PyObject *dict)
{
    ta_mfe_config_t cfg;
    ta_mfe_status_t status;
    if (mfe_config_from_dict(dict, &cfg) < 0) {
        return NULL;
    }
    status = ta_mfe_config_check(&cfg);
    return Py_BuildValue("(is)", (int)status, ta_mfe_status_str(status));
}

static PyMethodDef micro_functions[] = {
    {"check_micro_config", mod_check_micro_config, METH_O, "check_micro_config(config: dict) -> (status, message)"},
    {NULL, NULL, 0, NULL},
};

int ta_py_add_micro_frontend(PyObject *module)
{
    PyMethodDef *def;
    if (PyType_Ready(&MicroFrontendType) < 0) {
        return -1;
    }
    Py_INCREF(&MicroFrontendType);
    if (PyModule_AddObject(module, "MicroFrontend", (PyObject *)&MicroFrontendType) < 0) {
        Py_DECREF(&MicroFrontendType);
        return -1;
    }
    for (def = micro_functions; def->ml_name != NULL; ++def) {
        PyObject *fn = PyCFunction_NewEx(def, NULL, NULL);
        if (fn == NULL || PyModule_AddObject(module, def->ml_name, fn) < 0) {
            Py_XDECREF(fn);
            return -1;
        }
    }
    if (PyModule_AddIntConstant(module, "MFE_STATE_BYTES", (long)sizeof(ta_mfe_t)) < 0 ||
        PyModule_AddIntConstant(module, "MFE_TABLE_STORAGE_BYTES", (long)sizeof(ta_mfe_table_storage_t)) < 0 ||
        PyModule_AddIntConstant(module, "MFE_TABLES_VERSION", (long)TA_MFE_TABLES_VERSION) < 0 ||
        PyModule_AddIntConstant(module, "MFE_MAX_FFT", (long)TA_MFE_MAX_FFT) < 0 ||
        PyModule_AddIntConstant(module, "MFE_MAX_CHANNELS", (long)TA_MFE_MAX_CHANNELS) < 0 ||
        PyModule_AddIntConstant(module, "MFE_MAX_STACK", (long)TA_MFE_MAX_STACK) < 0) {
        return -1;
    }
    return 0;
}
