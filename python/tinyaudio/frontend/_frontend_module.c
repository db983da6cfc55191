/*
 * tinyaudio._frontend: CPython glue over the C frontend in firmware/frontend/.
 *
 * Only argument conversion lives here; every number comes from ta_frontend.c and friends.
 * Configs arrive as dicts of ta_frontend_config_t field names (tinyaudio.frontend.c_fields()).
 */
#define PY_SSIZE_T_CLEAN
#include <Python.h>
#define PY_ARRAY_UNIQUE_SYMBOL tinyaudio_frontend_ARRAY_API /* shared with _micro_frontend_module.c */
#include <numpy/arrayobject.h>

#include "ta_frontend.h"

/* The micro frontend's type and functions (_micro_frontend_module.c). */
int ta_py_add_micro_frontend(PyObject *module);

typedef struct {
    PyObject_HEAD
    ta_frontend_t fe;                    /* inside the Python object (the host has a heap; the device does not) */
    ta_frontend_table_storage_t storage; /* the tables fe uses, built by ta_frontend_init() */
} FrontendObject;

/* ---- config dict -> ta_frontend_config_t ---------------------------------------------------- */

static int get_number(PyObject *dict, const char *key, double *out)
{
    PyObject *value = PyDict_GetItemString(dict, key); /* borrowed */
    if (value == NULL) {
        PyErr_Format(PyExc_KeyError, "frontend config dict lacks '%s'", key);
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
        PyErr_Format(PyExc_ValueError, "frontend config field '%s' must be an integer in 0..%.0f", key, max);
        return -1;
    }
    *out = (uint32_t)v;
    return 0;
}

static int config_from_dict(PyObject *dict, ta_frontend_config_t *cfg)
{
    uint32_t u;
    double d;
    if (!PyDict_Check(dict)) {
        PyErr_SetString(PyExc_TypeError, "frontend config must be a dict of ta_frontend_config_t fields");
        return -1;
    }
    memset(cfg, 0, sizeof(*cfg));
#define TA_U32(name) if (get_uint(dict, #name, 4294967295.0, &u) < 0) return -1; cfg->name = u;
#define TA_U16(name) if (get_uint(dict, #name, 65535.0, &u) < 0) return -1; cfg->name = (uint16_t)u;
#define TA_U8(name) if (get_uint(dict, #name, 255.0, &u) < 0) return -1; cfg->name = (uint8_t)u;
#define TA_F32(name) if (get_number(dict, #name, &d) < 0) return -1; cfg->name = (float)d;
    TA_U32(sample_rate_hz)
    TA_U32(clip_samples)
    TA_U16(frame_length)
    TA_U16(hop_length)
    TA_U16(fft_length)
    TA_U8(window)
    TA_U8(center)
    TA_U8(spectrum)
    TA_U8(mel_scale)
    TA_U8(mel_weights)
    TA_U8(mel_norm)
    TA_U16(num_mel_bins)
    TA_F32(fmin_hz)
    TA_F32(fmax_hz)
    TA_U8(log_type)
    TA_F32(log_floor)
    TA_F32(log_offset)
    TA_U8(dct)
    TA_U16(num_coeffs)
    TA_U8(normalize)
#undef TA_U32
#undef TA_U16
#undef TA_U8
#undef TA_F32
    return 0;
}

static PyObject *raise_status(ta_frontend_status_t status, const char *what)
{
    PyErr_Format(PyExc_ValueError, "C frontend %s: %s (status %d)", what, ta_frontend_status_str(status),
                 (int)status);
    return NULL;
}

/* A float32 C-contiguous view/copy of obj with ndim dimensions, or NULL with an exception. */
static PyArrayObject *as_float32(PyObject *obj, int ndim)
{
    PyArrayObject *arr = (PyArrayObject *)PyArray_FROMANY(obj, NPY_FLOAT32, ndim, ndim, NPY_ARRAY_IN_ARRAY);
    return arr;
}

/* ---- Frontend type -------------------------------------------------------------------------- */

static int Frontend_init(FrontendObject *self, PyObject *args, PyObject *kwds)
{
    PyObject *dict;
    ta_frontend_config_t cfg;
    ta_frontend_status_t status;
    static char *kwlist[] = {"config", NULL};
    if (!PyArg_ParseTupleAndKeywords(args, kwds, "O", kwlist, &dict)) {
        return -1;
    }
    if (config_from_dict(dict, &cfg) < 0) {
        return -1;
    }
    status = ta_frontend_init(&self->fe, &cfg, &self->storage);
    if (status != TA_FRONTEND_OK) {
        raise_status(status, "rejected the config");
        return -1;
    }
    return 0;
}

static int check_init(FrontendObject *self)
{
    if (self->fe.initialized != TA_FRONTEND_MAGIC) {
        PyErr_SetString(PyExc_RuntimeError, "Frontend object was not initialized");
        return -1;
    }
    return 0;
}

static PyObject *Frontend_compute_clip(FrontendObject *self, PyObject *arg)
{
    PyArrayObject *audio;
    PyArrayObject *out;
    npy_intp dims[2];
    uint32_t frames = 0;
    uint32_t n;
    ta_frontend_status_t status;
    if (check_init(self) < 0 || (audio = as_float32(arg, 1)) == NULL) {
        return NULL;
    }
    if (PyArray_DIM(audio, 0) > (npy_intp)UINT32_MAX) {
        Py_DECREF(audio);
        PyErr_SetString(PyExc_ValueError, "clip longer than 2^32 samples");
        return NULL;
    }
    n = (uint32_t)PyArray_DIM(audio, 0);
    dims[0] = (npy_intp)ta_frontend_num_frames(&self->fe.config, n);
    dims[1] = (npy_intp)ta_frontend_num_features(&self->fe.config);
    out = (PyArrayObject *)PyArray_ZEROS(2, dims, NPY_FLOAT32, 0);
    if (out == NULL) {
        Py_DECREF(audio);
        return NULL;
    }
    Py_BEGIN_ALLOW_THREADS
    status = ta_frontend_compute_clip(&self->fe, (const float *)PyArray_DATA(audio), n,
                                      (float *)PyArray_DATA(out), (uint32_t)dims[0], &frames);
    Py_END_ALLOW_THREADS
    Py_DECREF(audio);
    if (status != TA_FRONTEND_OK) {
        Py_DECREF(out);
        return raise_status(status, "compute_clip failed");
    }
    return (PyObject *)out;
}

static PyObject *Frontend_compute_batch(FrontendObject *self, PyObject *arg)
{
    PyArrayObject *audio;
    PyArrayObject *out;
    npy_intp dims[3];
    npy_intp i;
    uint32_t n;
    size_t out_stride;
    ta_frontend_status_t status = TA_FRONTEND_OK;
    if (check_init(self) < 0 || (audio = as_float32(arg, 2)) == NULL) {
        return NULL;
    }
    if (PyArray_DIM(audio, 1) > (npy_intp)UINT32_MAX) {
        Py_DECREF(audio);
        PyErr_SetString(PyExc_ValueError, "clip longer than 2^32 samples");
        return NULL;
    }
    n = (uint32_t)PyArray_DIM(audio, 1);
    dims[0] = PyArray_DIM(audio, 0);
    dims[1] = (npy_intp)ta_frontend_num_frames(&self->fe.config, n);
    dims[2] = (npy_intp)ta_frontend_num_features(&self->fe.config);
    out = (PyArrayObject *)PyArray_ZEROS(3, dims, NPY_FLOAT32, 0);
    if (out == NULL) {
        Py_DECREF(audio);
        return NULL;
    }
    out_stride = (size_t)dims[1] * (size_t)dims[2];
    Py_BEGIN_ALLOW_THREADS
    for (i = 0; i < dims[0] && status == TA_FRONTEND_OK; ++i) {
        uint32_t frames = 0;
        status = ta_frontend_compute_clip(&self->fe, (const float *)PyArray_DATA(audio) + (size_t)i * n, n,
                                          (float *)PyArray_DATA(out) + (size_t)i * out_stride,
                                          (uint32_t)dims[1], &frames);
    }
    Py_END_ALLOW_THREADS
    Py_DECREF(audio);
    if (status != TA_FRONTEND_OK) {
        Py_DECREF(out);
        return raise_status(status, "compute_clip failed");
    }
    return (PyObject *)out;
}

static PyObject *new_frame(FrontendObject *self, const float *values)
{
    npy_intp dims[1];
    PyArrayObject *out;
    dims[0] = (npy_intp)ta_frontend_num_features(&self->fe.config);
    out = (PyArrayObject *)PyArray_SimpleNew(1, dims, NPY_FLOAT32);
    if (out != NULL) {
        memcpy(PyArray_DATA(out), values, (size_t)dims[0] * sizeof(float));
    }
    return (PyObject *)out;
}

static PyObject *Frontend_push_hop(FrontendObject *self, PyObject *arg)
{
    PyArrayObject *hop;
    float frame[TA_FRONTEND_MAX_MEL_BINS];
    ta_frontend_status_t status;
    if (check_init(self) < 0 || (hop = as_float32(arg, 1)) == NULL) {
        return NULL;
    }
    if (PyArray_DIM(hop, 0) != (npy_intp)self->fe.config.hop_length) {
        PyErr_Format(PyExc_ValueError, "push_hop takes exactly %u samples, got %zd",
                     (unsigned)self->fe.config.hop_length, (Py_ssize_t)PyArray_DIM(hop, 0));
        Py_DECREF(hop);
        return NULL;
    }
    status = ta_frontend_push_hop(&self->fe, (const float *)PyArray_DATA(hop), frame);
    Py_DECREF(hop);
    if (status == TA_FRONTEND_NEED_MORE) {
        Py_RETURN_NONE;
    }
    if (status != TA_FRONTEND_OK) {
        return raise_status(status, "push_hop failed");
    }
    return new_frame(self, frame);
}

static PyObject *Frontend_flush(FrontendObject *self, PyObject *Py_UNUSED(ignored))
{
    float frame[TA_FRONTEND_MAX_MEL_BINS];
    ta_frontend_status_t status;
    if (check_init(self) < 0) {
        return NULL;
    }
    status = ta_frontend_flush(&self->fe, frame);
    if (status == TA_FRONTEND_DONE) {
        Py_RETURN_NONE;
    }
    if (status != TA_FRONTEND_OK) {
        return raise_status(status, "flush failed");
    }
    return new_frame(self, frame);
}

static PyObject *Frontend_reset(FrontendObject *self, PyObject *Py_UNUSED(ignored))
{
    ta_frontend_status_t status;
    if (check_init(self) < 0) {
        return NULL;
    }
    status = ta_frontend_reset(&self->fe);
    if (status != TA_FRONTEND_OK) {
        return raise_status(status, "reset failed");
    }
    Py_RETURN_NONE;
}

static PyObject *Frontend_set_gain(FrontendObject *self, PyObject *arg)
{
    double gain;
    ta_frontend_status_t status;
    if (check_init(self) < 0) {
        return NULL;
    }
    gain = PyFloat_AsDouble(arg);
    if (gain == -1.0 && PyErr_Occurred()) {
        return NULL;
    }
    status = ta_frontend_set_gain(&self->fe, (float)gain);
    if (status != TA_FRONTEND_OK) {
        return raise_status(status, "set_gain failed");
    }
    Py_RETURN_NONE;
}

static PyObject *Frontend_window(FrontendObject *self, PyObject *Py_UNUSED(ignored))
{
    npy_intp dims[1];
    PyArrayObject *out;
    if (check_init(self) < 0) {
        return NULL;
    }
    dims[0] = (npy_intp)self->fe.config.frame_length;
    out = (PyArrayObject *)PyArray_SimpleNew(1, dims, NPY_FLOAT32);
    if (out != NULL) {
        memcpy(PyArray_DATA(out), self->fe.tables->window, (size_t)dims[0] * sizeof(float));
    }
    return (PyObject *)out;
}

/* Dense (num_mel_bins, fft/2 + 1) matrix of the sparse filterbank, for tests against TF/librosa. */
static PyObject *Frontend_mel_weights(FrontendObject *self, PyObject *Py_UNUSED(ignored))
{
    npy_intp dims[2];
    PyArrayObject *out;
    const ta_mel_bank_t *bank;
    const float *weights;
    uint32_t b;
    if (check_init(self) < 0) {
        return NULL;
    }
    bank = &self->fe.tables->mel;
    weights = bank->weights;
    dims[0] = (npy_intp)bank->num_bands;
    dims[1] = (npy_intp)(self->fe.config.fft_length / 2u + 1u);
    out = (PyArrayObject *)PyArray_ZEROS(2, dims, NPY_FLOAT32, 0);
    if (out == NULL) {
        return NULL;
    }
    for (b = 0; b < bank->num_bands; ++b) {
        float *row = (float *)PyArray_DATA(out) + (size_t)b * (size_t)dims[1];
        memcpy(&row[bank->first_bin[b]], weights, (size_t)bank->num_weights[b] * sizeof(float));
        weights += bank->num_weights[b];
    }
    return (PyObject *)out;
}

/* A new 1-D array of n values of type typenum copied from data (n may be 0), stored in dict[key]. */
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
    if (n > 0u) {
        memcpy(PyArray_DATA((PyArrayObject *)arr), data, n * item_bytes);
    }
    rc = PyDict_SetItemString(dict, key, arr);
    Py_DECREF(arr);
    return rc;
}

static int put_float32(PyObject *dict, const char *key, float value)
{
    return put_array(dict, key, NPY_FLOAT32, &value, 1u, sizeof(float));
}

static int put_uint(PyObject *dict, const char *key, unsigned long value)
{
    PyObject *obj = PyLong_FromUnsignedLong(value);
    int rc;
    if (obj == NULL) {
        return -1;
    }
    rc = PyDict_SetItemString(dict, key, obj);
    Py_DECREF(obj);
    return rc;
}

/* Every table of the state, exactly as ta_frontend_build_tables() built them (for generating const
 * tables: Python only prints these numbers). Floats as float32 arrays, counts as ints. */
static PyObject *Frontend_tables(FrontendObject *self, PyObject *Py_UNUSED(ignored))
{
    const ta_frontend_tables_t *t;
    PyObject *d;
    size_t half;
    size_t bands;
    size_t dct_values;
    if (check_init(self) < 0) {
        return NULL;
    }
    t = self->fe.tables;
    half = (size_t)t->fft.n / 2u;
    bands = (size_t)t->mel.num_bands;
    dct_values = t->dct.cos_table != NULL ? 4u * (size_t)t->dct.num_in : 0u;
    d = PyDict_New();
    if (d == NULL) {
        return NULL;
    }
    if (put_uint(d, "version", t->version) < 0 ||
        put_array(d, "window", NPY_FLOAT32, t->window, t->config.frame_length, sizeof(float)) < 0 ||
        put_uint(d, "fft_n", t->fft.n) < 0 ||
        put_array(d, "fft_cos", NPY_FLOAT32, t->fft.cos_table, half, sizeof(float)) < 0 ||
        put_array(d, "fft_sin", NPY_FLOAT32, t->fft.sin_table, half, sizeof(float)) < 0 ||
        put_array(d, "fft_swaps", NPY_UINT16, t->fft.swaps, 2u * (size_t)t->fft.num_swaps, sizeof(uint16_t)) < 0 ||
        put_uint(d, "mel_num_bands", t->mel.num_bands) < 0 ||
        put_array(d, "mel_first_bin", NPY_UINT16, t->mel.first_bin, bands, sizeof(uint16_t)) < 0 ||
        put_array(d, "mel_num_weights", NPY_UINT16, t->mel.num_weights, bands, sizeof(uint16_t)) < 0 ||
        put_array(d, "mel_weights", NPY_FLOAT32, t->mel.weights, t->mel.num_weights_total, sizeof(float)) < 0 ||
        put_uint(d, "dct_type", t->dct.type) < 0 || put_uint(d, "dct_num_in", t->dct.num_in) < 0 ||
        put_uint(d, "dct_num_out", t->dct.num_out) < 0 ||
        put_float32(d, "dct_scale_first", t->dct.scale_first) < 0 ||
        put_float32(d, "dct_scale_rest", t->dct.scale_rest) < 0 ||
        put_array(d, "dct_cos", NPY_FLOAT32, t->dct.cos_table, dct_values, sizeof(float)) < 0) {
        Py_DECREF(d);
        return NULL;
    }
    return d;
}

static PyObject *Frontend_get_num_features(FrontendObject *self, void *Py_UNUSED(closure))
{
    return PyLong_FromUnsignedLong(ta_frontend_num_features(&self->fe.config));
}

static PyObject *Frontend_get_num_frames(FrontendObject *self, void *Py_UNUSED(closure))
{
    return PyLong_FromUnsignedLong(ta_frontend_num_frames(&self->fe.config, self->fe.config.clip_samples));
}

static PyMethodDef Frontend_methods[] = {
    {"compute_clip", (PyCFunction)Frontend_compute_clip, METH_O,
     "compute_clip(audio: float32[n]) -> float32[frames, features]"},
    {"compute_batch", (PyCFunction)Frontend_compute_batch, METH_O,
     "compute_batch(audio: float32[clips, n]) -> float32[clips, frames, features]"},
    {"push_hop", (PyCFunction)Frontend_push_hop, METH_O,
     "push_hop(hop: float32[hop_length]) -> float32[features] or None"},
    {"flush", (PyCFunction)Frontend_flush, METH_NOARGS, "flush() -> next remaining frame or None"},
    {"reset", (PyCFunction)Frontend_reset, METH_NOARGS, "reset() starts a new stream"},
    {"set_gain", (PyCFunction)Frontend_set_gain, METH_O, "set_gain(gain) for streaming normalization"},
    {"window", (PyCFunction)Frontend_window, METH_NOARGS, "window() -> float32[frame_length]"},
    {"mel_weights", (PyCFunction)Frontend_mel_weights, METH_NOARGS,
     "mel_weights() -> float32[num_mel_bins, fft/2+1]"},
    {"tables", (PyCFunction)Frontend_tables, METH_NOARGS,
     "tables() -> dict of the C-built tables (window, fft_cos/sin/swaps, mel_first_bin/num_weights/weights, dct_*)"},
    {NULL, NULL, 0, NULL},
};

static PyGetSetDef Frontend_getset[] = {
    {"num_features", (getter)Frontend_get_num_features, NULL, "values per frame", NULL},
    {"num_frames", (getter)Frontend_get_num_frames, NULL, "frames per clip of clip_samples", NULL},
    {NULL, NULL, NULL, NULL, NULL},
};

static PyTypeObject FrontendType = {
    PyVarObject_HEAD_INIT(NULL, 0).tp_name = "tinyaudio._frontend.Frontend",
    .tp_basicsize = sizeof(FrontendObject),
    .tp_flags = Py_TPFLAGS_DEFAULT,
    .tp_doc = "Frontend(config: dict) -- one ta_frontend_t state with its tables.",
    .tp_new = PyType_GenericNew,
    .tp_init = (initproc)Frontend_init,
    .tp_methods = Frontend_methods,
    .tp_getset = Frontend_getset,
};

/* ---- module functions ------------------------------------------------------------------------ */

static PyObject *mod_clip_gain(PyObject *Py_UNUSED(module), PyObject *args)
{
    PyObject *dict;
    PyObject *obj;
    PyArrayObject *audio;
    ta_frontend_config_t cfg;
    float gain;
    if (!PyArg_ParseTuple(args, "OO", &dict, &obj) || config_from_dict(dict, &cfg) < 0) {
        return NULL;
    }
    if ((audio = as_float32(obj, 1)) == NULL) {
        return NULL;
    }
    gain = ta_frontend_clip_gain(&cfg, (const float *)PyArray_DATA(audio), (uint32_t)PyArray_DIM(audio, 0));
    Py_DECREF(audio);
    return PyFloat_FromDouble((double)gain);
}

static PyObject *mod_check_config(PyObject *Py_UNUSED(module), PyObject *dict)
{
    ta_frontend_config_t cfg;
    ta_frontend_status_t status;
    if (config_from_dict(dict, &cfg) < 0) {
        return NULL;
    }
    status = ta_frontend_config_check(&cfg);
    return Py_BuildValue("(is)", (int)status, ta_frontend_status_str(status));
}

/* The packed real FFT of x (length a power of two), for tests of ta_fft.c on its own. */
static PyObject *mod_rfft_packed(PyObject *Py_UNUSED(module), PyObject *arg)
{
    static ta_rfft_t fft; /* guarded by the GIL, as the tables */
    static float cos_table[TA_FRONTEND_MAX_FFT / 2u];
    static float sin_table[TA_FRONTEND_MAX_FFT / 2u];
    static uint16_t swaps[TA_FRONTEND_MAX_FFT / 2u];
    PyArrayObject *x;
    PyArrayObject *out;
    npy_intp n;
    ta_frontend_status_t status;
    if ((x = as_float32(arg, 1)) == NULL) {
        return NULL;
    }
    n = PyArray_DIM(x, 0);
    status = n > 65535 ? TA_FRONTEND_ERR_FFT_LENGTH : ta_rfft_build(&fft, (uint16_t)n, cos_table, sin_table, swaps);
    if (status != TA_FRONTEND_OK) {
        Py_DECREF(x);
        return raise_status(status, "rfft");
    }
    out = (PyArrayObject *)PyArray_NewCopy(x, NPY_CORDER);
    Py_DECREF(x);
    if (out == NULL) {
        return NULL;
    }
    ta_rfft_forward(&fft, (float *)PyArray_DATA(out));
    return (PyObject *)out;
}

static PyMethodDef module_methods[] = {
    {"clip_gain", mod_clip_gain, METH_VARARGS, "clip_gain(config: dict, audio) -> float"},
    {"check_config", mod_check_config, METH_O, "check_config(config: dict) -> (status, message)"},
    {"rfft_packed", mod_rfft_packed, METH_O, "rfft_packed(x: float32[n]) -> packed spectrum (CMSIS layout)"},
    {NULL, NULL, 0, NULL},
};

static struct PyModuleDef frontend_module = {
    PyModuleDef_HEAD_INIT, "tinyaudio._frontend", "The tinyaudio C audio frontend (firmware/frontend).", -1,
    module_methods, NULL, NULL, NULL, NULL,
};

PyMODINIT_FUNC PyInit__frontend(void)
{
    PyObject *m;
    import_array();
    if (PyType_Ready(&FrontendType) < 0) {
        return NULL;
    }
    m = PyModule_Create(&frontend_module);
    if (m == NULL) {
        return NULL;
    }
    Py_INCREF(&FrontendType);
    if (PyModule_AddObject(m, "Frontend", (PyObject *)&FrontendType) < 0 ||
        PyModule_AddIntConstant(m, "STATE_BYTES", (long)sizeof(ta_frontend_t)) < 0 ||
        PyModule_AddIntConstant(m, "TABLE_STORAGE_BYTES", (long)sizeof(ta_frontend_table_storage_t)) < 0 ||
        PyModule_AddIntConstant(m, "TABLES_VERSION", (long)TA_FRONTEND_TABLES_VERSION) < 0 ||
        PyModule_AddIntConstant(m, "MAX_FFT", (long)TA_FRONTEND_MAX_FFT) < 0 ||
        PyModule_AddIntConstant(m, "MAX_MEL_BINS", (long)TA_FRONTEND_MAX_MEL_BINS) < 0 ||
        PyModule_AddIntConstant(m, "VERSION", (long)TA_FRONTEND_VERSION) < 0 ||
        ta_py_add_micro_frontend(m) < 0) {
        Py_DECREF(&FrontendType);
        Py_DECREF(m);
        return NULL;
    }
    return m;
}
