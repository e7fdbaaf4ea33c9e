# cython: language_level=3, boundscheck=False, wraparound=False
"""The bridge: NumPy arrays -> pointers, shapes and strides -> C calls without the GIL (short
calls keep it: release_gil_for).

One function per C entry point of csrc/axisconv.h, named as it is without the ax_ prefix
(correlate1d -> ax_correlate1d).  Callers (the Python layer) have already validated
everything: arrays are native-endian, aligned float32/float64 of at most AX_MAXDIM
dimensions, kernels contiguous and aligned, with the shapes each C function documents.
The C enums are exported from here, so Python never copies their values.
"""
cimport numpy as cnp
from cpython.mem cimport PyMem_Free, PyMem_Malloc
from cpython.pycapsule cimport PyCapsule_New
from cpython.pystate cimport PyThreadState
from libc.stdint cimport int64_t, uintptr_t

cnp.import_array()

cdef extern from "axisconv.h":
    enum: AX_MAXDIM
    ctypedef enum ax_dtype:
        AX_FLOAT32
        AX_FLOAT64
    ctypedef enum ax_mode:
        AX_REFLECT
        AX_MIRROR
        AX_NEAREST
        AX_WRAP
        AX_CONSTANT
    ctypedef enum ax_simd:
        AX_SIMD_BASELINE
        AX_SIMD_AVX2
        AX_SIMD_AVX512
        AX_SIMD_COUNT
    ctypedef struct ax_view:
        char *data
        int ndim
        const int64_t *shape
        const int64_t *strides
    int AX_ENOMEM
    int AX_EINVAL
    int ax_correlate1d(ax_dtype dtype, ax_view inp, ax_view out, int axis, const double *kernel,
                       int64_t ksize, int64_t offset, ax_mode mode, double cval, int threads) nogil
    ctypedef struct ax_pass:
        int axis
        const double *kernel
        int64_t ksize
        int64_t offset
        ax_mode mode
        double cval
    int ax_correlate_separable(ax_dtype dtype, ax_view inp, ax_view out, const ax_pass *first,
                               const ax_pass *second, int accumulate, int threads) nogil
    int ax_correlate2d(ax_dtype dtype, ax_view inp, ax_view out, int axis_r, int axis_c,
                       const double *kernel, int64_t kh, int64_t kw, int64_t off_r, int64_t off_c,
                       ax_mode mode, double cval, int threads) nogil
    ctypedef enum ax_combine:
        AX_COMBINE_ROWS
        AX_COMBINE_MAX
    ctypedef struct ax_piece:
        int64_t tap0
        int64_t ntaps
        int64_t first
        int64_t line
    int ax_bank(ax_dtype dtype, ax_view inp, ax_view out, const double *taps, int64_t ntaps,
                const ax_piece *pieces, int64_t npieces, const double *bias, int64_t nlines,
                const int64_t *row_line, const int64_t *row_shift, ax_combine combine,
                ax_mode mode, double cval, int threads) nogil
    int ax_conv1d(ax_dtype dtype, ax_view inp, ax_view out, int axis, int chan,
                  const double *filters, const double *bias, int64_t K, int64_t groups,
                  int64_t stride, int64_t dilation, int64_t pad_left, ax_mode mode,
                  int threads) nogil
    ctypedef enum ax_itype:
        pass
    ctypedef struct ax_rounding:
        int wide
        int shift
        int64_t init
        int64_t post
        int64_t lo
        int64_t hi
    ctypedef struct ax_ipass:
        int axis
        const int64_t *taps
        int64_t ksize
        int64_t offset
        ax_mode mode
        int64_t cval
    int ax_correlate1d_int(ax_itype tin, ax_itype tout, ax_view inp, ax_view out,
                           const ax_ipass *p, const ax_rounding *r, int threads) nogil
    int ax_correlate_separable_int(ax_itype tin, ax_itype tout, ax_view inp, ax_view out,
                                   const ax_ipass *first, const ax_ipass *second,
                                   const ax_rounding *r, int threads) nogil
    int ax_correlate2d_int(ax_itype tin, ax_itype tout, ax_view inp, ax_view out, int axis_r,
                           int axis_c, const int64_t *taps, int64_t kh, int64_t kw,
                           int64_t off_r, int64_t off_c, ax_mode mode, int64_t cval,
                           const ax_rounding *r, int threads) nogil
    int ax_simd_supported(ax_simd path)
    int ax_simd_select(ax_simd path)
    ax_simd ax_simd_active()
    ax_simd ax_simd_best()
    const char *ax_simd_name(ax_simd path)
    int ax_threaded()
    int ax_get_num_threads() nogil
    int ax_set_num_threads(int n) nogil
    int64_t ax_stream_threshold()
    void ax_set_stream_threshold(int64_t bytes)
    void ax_set_column_direction(int direction)
    ctypedef struct ax_api:
        pass
    const ax_api *ax_api_table()
    const char *AX_API_CAPSULE


cdef extern from "cache.h":
    int ax_stream_pays(int64_t bytes, int64_t taps)
    int ax_stays_cached(int64_t bytes)
    int ax_l1_ways()
    int64_t ax_l2_bytes()
    int64_t ax_llc_bytes()
    int ax_right_to_left(const void *const *in_, void *const *out, int64_t nout, int64_t taps,
                         int64_t vector_bytes, int cached)

cdef extern from "geometry.h":
    int64_t AX_ROW_GROUP

cdef extern from "kernels.h":
    int ax_correlate1d_unfolded(ax_dtype dtype, ax_view inp, ax_view out, int axis,
                                const double *kernel, int64_t ksize, int64_t offset,
                                ax_mode mode, double cval, int threads)


# The C API for other extensions (axisconv.h, ax_api), without linking to this module.
_C_API = PyCapsule_New(<void *>ax_api_table(), AX_API_CAPSULE, NULL)

# The C enums, for the Python layer.
MODE_REFLECT, MODE_MIRROR, MODE_NEAREST = AX_REFLECT, AX_MIRROR, AX_NEAREST
MODE_WRAP, MODE_CONSTANT = AX_WRAP, AX_CONSTANT
COMBINE_ROWS, COMBINE_MAX = AX_COMBINE_ROWS, AX_COMBINE_MAX
SIMD_PATHS = {"baseline": AX_SIMD_BASELINE, "avx2": AX_SIMD_AVX2, "avx512": AX_SIMD_AVX512}


cdef struct dims:
    int64_t shape[AX_MAXDIM]
    int64_t strides[AX_MAXDIM]


cdef extern from "Python.h":
    PyThreadState *PyEval_SaveThread() nogil
    void PyEval_RestoreThread(PyThreadState *) nogil

cdef extern from "parallel.h":
    int64_t AX_PARALLEL_MIN_WORK


cdef int64_t gil_releases = 0  # calls that gave the GIL up (released_gil_count)


def released_gil_count():
    """How many calls have given the GIL up so far (tests/test_gil.py)."""
    return gil_releases


cdef PyThreadState *release_gil_for(int64_t work) noexcept:
    """Releases the GIL for a call of `work` multiply-adds (the measure the C core shares
    calls among threads by), unless the call is too short to be shared: a busy Python thread
    would take the GIL and keep it for its switch interval (5 ms), a thousand times such a
    call (benchmarks/bench_overhead.py, "a busy Python thread"); NumPy keeps it for short
    loops likewise.  NULL: kept.  Until reacquire_gil, only the C call: Cython does not know
    the GIL is gone and would not stop Python code there."""
    global gil_releases
    if work < AX_PARALLEL_MIN_WORK:
        return NULL
    gil_releases += 1  # still under the GIL
    return PyEval_SaveThread()


cdef void reacquire_gil(PyThreadState *saved) noexcept:
    """Takes the GIL back after release_gil_for, if it was released."""
    if saved != NULL:
        PyEval_RestoreThread(saved)


cdef ax_view view_of(cnp.ndarray a, dims *d):
    cdef ax_view v
    cdef int i
    for i in range(a.ndim):
        d.shape[i] = a.shape[i]
        d.strides[i] = a.strides[i]
    v.data = <char *>cnp.PyArray_DATA(a)
    v.ndim = a.ndim
    v.shape = d.shape
    v.strides = d.strides
    return v


cdef ax_dtype dtype_of(cnp.ndarray a):
    return AX_FLOAT32 if a.dtype.itemsize == 4 else AX_FLOAT64


cdef check(int rc):
    """A C return code as Python sees it: the Python layer checks first, so AX_EINVAL means
    a direct caller broke a C precondition."""
    if rc == AX_ENOMEM:
        raise MemoryError("axisconv: out of memory for scratch buffers")
    if rc == AX_EINVAL:
        raise ValueError("axisconv: arguments rejected by the C core")
    if rc != 0:
        raise RuntimeError(f"axisconv: internal error {rc}")


def correlate1d(cnp.ndarray x, cnp.ndarray out, int axis, cnp.ndarray kernel, int64_t offset,
                int mode, double cval, int threads, bint fold=True):
    """ax_correlate1d (ax_correlate1d_unfolded if not `fold`) on x -> out; kernel is a
    contiguous float64 or float32 vector (the C API takes doubles: short float32 kernels are
    widened here, on the stack)."""
    cdef dims dx, do
    cdef ax_view vx = view_of(x, &dx), vo = view_of(out, &do)
    carray(kernel)
    cdef int64_t K = kernel.shape[0], t
    cdef double widened[64]
    cdef const float *k32
    cdef const double *k = <const double *>cnp.PyArray_DATA(kernel)
    if kernel.descr.type_num == cnp.NPY_FLOAT32:
        if K > 64:
            return correlate1d(x, out, axis, kernel.astype(float), offset, mode, cval, threads,
                               fold)
        k32 = <const float *>cnp.PyArray_DATA(kernel)
        for t in range(K):
            widened[t] = k32[t]
        k = widened
    cdef ax_dtype dt = dtype_of(x)
    cdef int rc
    cdef PyThreadState *saved = release_gil_for(cnp.PyArray_SIZE(out) * K)
    if fold:
        rc = ax_correlate1d(dt, vx, vo, axis, k, K, offset, <ax_mode>mode, cval, threads)
    else:
        rc = ax_correlate1d_unfolded(dt, vx, vo, axis, k, K, offset, <ax_mode>mode, cval,
                                     threads)
    reacquire_gil(saved)
    check(rc)


cdef carray(cnp.ndarray a):
    """The arrays C reads by their data pointer alone must be C-contiguous and aligned: a
    promise of the Python layer, kept here cheaply (a ValueError, never a wild read)."""
    if not cnp.PyArray_ISCARRAY_RO(a):
        raise ValueError("axisconv: a kernel or table must be C-contiguous and aligned")


cdef tuple widened_if_long(tuple p):
    """The pass with a float32 kernel too long for pass_of's stack buffer as a float64 copy."""
    cdef cnp.ndarray k = p[1]
    if k.descr.type_num == cnp.NPY_FLOAT32 and k.shape[0] > 64:
        return (p[0], k.astype(float)) + p[2:]
    return p


cdef ax_pass pass_of(tuple p, double *widened) except *:
    """(axis, kernel, offset, mode, cval) -> ax_pass; the kernel is a contiguous float64
    vector, or a float32 one of at most 64 taps, widened into `widened` (as correlate1d)."""
    cdef ax_pass q
    cdef cnp.ndarray k = p[1]
    carray(k)
    cdef int64_t t
    cdef const float *k32
    q.ksize = k.shape[0]
    q.kernel = <const double *>cnp.PyArray_DATA(k)
    if k.descr.type_num == cnp.NPY_FLOAT32 and q.ksize <= 64:
        k32 = <const float *>cnp.PyArray_DATA(k)
        for t in range(q.ksize):
            widened[t] = k32[t]
        q.kernel = widened
    elif k.descr.type_num != cnp.NPY_FLOAT64:
        raise ValueError("axisconv: a pass's kernel must be float64, or float32 of <= 64 taps")
    q.axis = p[0]
    q.offset = p[2]
    q.mode = <ax_mode>p[3]
    q.cval = p[4]
    return q


def correlate_separable(cnp.ndarray x, cnp.ndarray out, tuple first, tuple second,
                        bint accumulate, int threads):
    """ax_correlate_separable; each pass is (axis, kernel, offset, mode, cval), the kernel a
    contiguous float64 or float32 vector (float32 taps widened here, as correlate1d's)."""
    first, second = widened_if_long(first), widened_if_long(second)
    cdef dims dx, do
    cdef ax_view vx = view_of(x, &dx), vo = view_of(out, &do)
    cdef double wf[64]
    cdef double ws[64]
    cdef ax_pass f = pass_of(first, wf), s = pass_of(second, ws)
    cdef ax_dtype dt = dtype_of(x)
    cdef int rc
    cdef PyThreadState *saved = release_gil_for(cnp.PyArray_SIZE(out) * (f.ksize + s.ksize))
    rc = ax_correlate_separable(dt, vx, vo, &f, &s, accumulate, threads)
    reacquire_gil(saved)
    check(rc)


def correlate2d(cnp.ndarray x, cnp.ndarray out, int axis_r, int axis_c, cnp.ndarray kernel,
                int64_t off_r, int64_t off_c, int mode, double cval, int threads):
    """ax_correlate2d; kernel is a C-contiguous float64 (kh, kw) array."""
    carray(kernel)
    cdef dims dx, do
    cdef ax_view vx = view_of(x, &dx), vo = view_of(out, &do)
    cdef const double *k = <const double *>cnp.PyArray_DATA(kernel)
    cdef int64_t kh = kernel.shape[0], kw = kernel.shape[1]
    cdef ax_dtype dt = dtype_of(x)
    cdef int rc
    cdef PyThreadState *saved = release_gil_for(cnp.PyArray_SIZE(out) * kh * kw)
    rc = ax_correlate2d(dt, vx, vo, axis_r, axis_c, k, kh, kw, off_r, off_c, <ax_mode>mode,
                        cval, threads)
    reacquire_gil(saved)
    check(rc)


def bank(cnp.ndarray x, cnp.ndarray out, cnp.ndarray taps, cnp.ndarray pieces,
         cnp.ndarray bias, cnp.ndarray row_line, cnp.ndarray row_shift, int combine, int mode,
         double cval, int threads):
    """ax_bank on x (..., N) -> out (..., R, M).  taps: contiguous float64; pieces: contiguous
    int64 (P, 4) rows (tap0, ntaps, first, line), the layout of ax_piece; bias: contiguous
    float64 per line; row_line, row_shift: contiguous int64 per output row."""
    assert sizeof(ax_piece) == 4 * sizeof(int64_t)
    for a in (taps, pieces, bias, row_line, row_shift):
        carray(a)
    cdef dims dx, do
    cdef ax_view vx = view_of(x, &dx), vo = view_of(out, &do)
    cdef const double *k = <const double *>cnp.PyArray_DATA(taps)
    cdef const ax_piece *p = <const ax_piece *>cnp.PyArray_DATA(pieces)
    cdef const double *b = <const double *>cnp.PyArray_DATA(bias)
    cdef const int64_t *rl = <const int64_t *>cnp.PyArray_DATA(row_line)
    cdef const int64_t *rs = <const int64_t *>cnp.PyArray_DATA(row_shift)
    cdef int64_t nk = taps.shape[0], npc = pieces.shape[0], nl = bias.shape[0]
    cdef ax_dtype dt = dtype_of(x)
    cdef int rc
    cdef int64_t R = out.shape[out.ndim - 2], ktotal = 0, i  # output rows, taps of all pieces
    for i in range(npc):
        ktotal += p[i].ntaps
    cdef int64_t work = cnp.PyArray_SIZE(out) // R * (ktotal + R) if R else 0
    cdef PyThreadState *saved = release_gil_for(work)
    rc = ax_bank(dt, vx, vo, k, nk, p, npc, b, nl, rl, rs, <ax_combine>combine,
                 <ax_mode>mode, cval, threads)
    reacquire_gil(saved)
    check(rc)


def conv1d(cnp.ndarray x, cnp.ndarray out, int axis, int chan, cnp.ndarray filters, bias,
           int64_t groups, int64_t stride, int64_t dilation, int64_t pad_left, int mode,
           int threads):
    """ax_conv1d on x -> out; filters is a C-contiguous float64 (K, C_in // groups, C_out)
    array, bias None or a contiguous float64 vector."""
    cdef dims dx, do
    cdef ax_view vx = view_of(x, &dx), vo = view_of(out, &do)
    cdef const double *f = <const double *>cnp.PyArray_DATA(filters)
    cdef const double *b = NULL
    carray(filters)
    if bias is not None:
        carray(bias)
        b = <const double *>cnp.PyArray_DATA(<cnp.ndarray>bias)
    cdef int64_t K = filters.shape[0]
    cdef ax_dtype dt = dtype_of(x)
    cdef int rc
    cdef PyThreadState *saved = release_gil_for(cnp.PyArray_SIZE(out) * K * filters.shape[1])
    rc = ax_conv1d(dt, vx, vo, axis, chan, f, b, K, groups, stride, dilation, pad_left,
                   <ax_mode>mode, threads)
    reacquire_gil(saved)
    check(rc)


# --- integer images: the plan (taps, rounding) comes from _fixed.py -------------------------

cdef ax_itype itype_of(cnp.ndarray a):
    """AX_U8, AX_U16 or AX_S16 (the caller checked the dtype)."""
    return <ax_itype>(0 if a.dtype.itemsize == 1 else 1 if a.dtype.kind == "u" else 2)


cdef ax_rounding rounding_of(tuple r):
    """(wide, shift, init, post, lo, hi) -> ax_rounding."""
    cdef ax_rounding q
    q.wide, q.shift, q.init, q.post, q.lo, q.hi = r
    return q


cdef ax_ipass ipass_of(tuple p):
    """(axis, taps, offset, mode, cval) -> ax_ipass; taps are contiguous int64."""
    cdef ax_ipass q
    cdef cnp.ndarray k = p[1]
    q.axis = p[0]
    q.taps = <const int64_t *>cnp.PyArray_DATA(k)
    q.ksize = k.shape[0]
    q.offset = p[2]
    q.mode = <ax_mode>p[3]
    q.cval = p[4]
    return q


def correlate1d_int(cnp.ndarray x, cnp.ndarray out, tuple p, tuple rounding, int threads):
    """ax_correlate1d_int; p is the pass (axis, taps, offset, mode, cval)."""
    cdef dims dx, do
    cdef ax_view vx = view_of(x, &dx), vo = view_of(out, &do)
    cdef ax_ipass q = ipass_of(p)
    cdef ax_rounding r = rounding_of(rounding)
    cdef ax_itype ti = itype_of(x), to = itype_of(out)
    cdef int rc
    cdef PyThreadState *saved = release_gil_for(cnp.PyArray_SIZE(out) * q.ksize)
    rc = ax_correlate1d_int(ti, to, vx, vo, &q, &r, threads)
    reacquire_gil(saved)
    check(rc)


def correlate_separable_int(cnp.ndarray x, cnp.ndarray out, tuple first, tuple second,
                            tuple rounding, int threads):
    """ax_correlate_separable_int; each pass is (axis, taps, offset, mode, cval)."""
    cdef dims dx, do
    cdef ax_view vx = view_of(x, &dx), vo = view_of(out, &do)
    cdef ax_ipass f = ipass_of(first), s = ipass_of(second)
    cdef ax_rounding r = rounding_of(rounding)
    cdef ax_itype ti = itype_of(x), to = itype_of(out)
    cdef int rc
    cdef PyThreadState *saved = release_gil_for(cnp.PyArray_SIZE(out) * (f.ksize + s.ksize))
    rc = ax_correlate_separable_int(ti, to, vx, vo, &f, &s, &r, threads)
    reacquire_gil(saved)
    check(rc)


def correlate2d_int(cnp.ndarray x, cnp.ndarray out, int axis_r, int axis_c, cnp.ndarray taps,
                    int64_t off_r, int64_t off_c, int mode, int64_t cval, tuple rounding,
                    int threads):
    """ax_correlate2d_int; taps is a C-contiguous int64 (kh, kw) array."""
    cdef dims dx, do
    cdef ax_view vx = view_of(x, &dx), vo = view_of(out, &do)
    cdef const int64_t *k = <const int64_t *>cnp.PyArray_DATA(taps)
    cdef int64_t kh = taps.shape[0], kw = taps.shape[1]
    cdef ax_rounding r = rounding_of(rounding)
    cdef ax_itype ti = itype_of(x), to = itype_of(out)
    cdef int rc
    cdef PyThreadState *saved = release_gil_for(cnp.PyArray_SIZE(out) * kh * kw)
    rc = ax_correlate2d_int(ti, to, vx, vo, axis_r, axis_c, k, kh, kw, off_r, off_c,
                            <ax_mode>mode, cval, &r, threads)
    reacquire_gil(saved)
    check(rc)


def simd_paths():
    """Names of the SIMD paths this CPU supports, lowest first."""
    return [ax_simd_name(<ax_simd>p).decode() for p in range(AX_SIMD_COUNT)
            if ax_simd_supported(<ax_simd>p)]


def simd_name(int path):
    return ax_simd_name(<ax_simd>path).decode()


def simd_select(int path):
    """Switch to SIMD path number `path`; returns False if this CPU lacks it."""
    return ax_simd_select(<ax_simd>path) == 0


def simd_active():
    return <int>ax_simd_active()


def threaded():
    """False in a serial build (AXISCONV_THREADS=OFF)."""
    return bool(ax_threaded())


def get_num_threads():
    return ax_get_num_threads()


def set_num_threads(int n):
    """n >= 1, or 0 for the default again; returns the previous count."""
    return ax_set_num_threads(n)


def stream_threshold():
    """Bytes of input and output above which outputs of passes of at most 16 taps are written
    with streaming stores (0: every output, whatever its taps)."""
    return ax_stream_threshold()


def set_stream_threshold(int64_t nbytes):
    """Choose the streaming threshold (negative: the default); for tests and benchmarks."""
    ax_set_stream_threshold(nbytes)


def set_column_direction(int direction):
    """The column kernels' blocks left to right (0), right to left (1), or as each call
    chooses (-1, the default); for tests."""
    ax_set_column_direction(direction)


def stream_pays(int64_t nbytes, int64_t taps):
    """Whether a call of nbytes of input and output, taps multiply-adds an output, streams."""
    return bool(ax_stream_pays(nbytes, taps))


def caches():
    """(ways of the L1 data cache, bytes of L2, bytes of the last-level cache) as the kernels
    read them at run time (cache.h); for tests."""
    return ax_l1_ways(), ax_l2_bytes(), ax_llc_bytes()


def stays_cached(int64_t nbytes):
    """Whether a call of nbytes of input and output counts as staying cached (cache.h)."""
    return bool(ax_stays_cached(nbytes))


ROW_GROUP = AX_ROW_GROUP  # output rows a column kernel's block writes together


def right_to_left(in_rows, out_rows, int64_t nout, int64_t taps, int64_t vector_bytes,
                  bint cached):
    """The column kernels' direction (cache.h, ax_right_to_left) for input and output rows
    starting at these addresses (sequences of taps + ROW_GROUP - 1 and ROW_GROUP non-negative
    integers at least, never dereferenced); for tests."""
    cdef Py_ssize_t n_in = len(in_rows), n_out = len(out_rows), i
    if n_in < taps + AX_ROW_GROUP - 1 or n_out < AX_ROW_GROUP:
        raise ValueError("too few row addresses for the rule to read")
    cdef uintptr_t *rows = <uintptr_t *>PyMem_Malloc((n_in + n_out) * sizeof(uintptr_t))
    if rows == NULL:
        raise MemoryError()
    try:
        for i in range(n_in):
            rows[i] = in_rows[i]
        for i in range(n_out):
            rows[n_in + i] = out_rows[i]
        return bool(ax_right_to_left(<const void *const *>rows, <void *const *>(rows + n_in),
                                     nout, taps, vector_bytes, cached))
    finally:
        PyMem_Free(rows)


def plain_arrays(x, kernel, out):
    """Whether a 1-D filter of these arrays can go straight to C, the property test of the
    Python layer's fast path: x an aligned, native float32 or float64 ndarray with elements,
    kernel a C-contiguous aligned float64 or float32 vector with taps, out None or a
    C-contiguous writable ndarray of x's dtype and shape that is x itself or apart from it."""
    if type(x) is not cnp.ndarray or type(kernel) is not cnp.ndarray:
        return False
    cdef cnp.ndarray a = x, k = kernel, o
    cdef int t = cnp.PyArray_TYPE(a)
    if ((t != cnp.NPY_FLOAT32 and t != cnp.NPY_FLOAT64) or not cnp.PyArray_ISBEHAVED_RO(a)
            or cnp.PyArray_SIZE(a) == 0):
        return False
    t = cnp.PyArray_TYPE(k)
    if ((t != cnp.NPY_FLOAT64 and t != cnp.NPY_FLOAT32) or cnp.PyArray_NDIM(k) != 1
            or not cnp.PyArray_ISCARRAY_RO(k) or cnp.PyArray_SIZE(k) == 0):
        return False
    if out is None:
        return True
    if type(out) is not cnp.ndarray:
        return False
    o = out
    return (cnp.PyArray_TYPE(o) == cnp.PyArray_TYPE(a) and cnp.PyArray_ISCARRAY(o)
            and cnp.PyArray_SAMESHAPE(a, o) and overlap(a, o) != 2)


cdef void extent(cnp.ndarray a, char **lo, char **hi):
    """The bytes a spans: [lo, hi)."""
    cdef char *p = <char *>cnp.PyArray_DATA(a)
    cdef Py_ssize_t low = 0, high = a.itemsize, step
    cdef int i
    for i in range(a.ndim):
        if a.shape[i] == 0:
            lo[0] = hi[0] = p
            return
        step = a.strides[i] * (a.shape[i] - 1)
        if step < 0:
            low += step
        else:
            high += step
    lo[0] = p + low
    hi[0] = p + high


def overlap(cnp.ndarray a, cnp.ndarray b):
    """0: a and b span disjoint bytes; 1: they are the same view (data, dtype, shape,
    strides); 2: they may overlap otherwise."""
    cdef char *alo
    cdef char *ahi
    cdef char *blo
    cdef char *bhi
    cdef int i
    extent(a, &alo, &ahi)
    extent(b, &blo, &bhi)
    if ahi <= blo or bhi <= alo:
        return 0
    if (cnp.PyArray_DATA(a) != cnp.PyArray_DATA(b) or a.ndim != b.ndim
            or cnp.PyArray_TYPE(a) != cnp.PyArray_TYPE(b)):
        return 2
    for i in range(a.ndim):
        if a.shape[i] != b.shape[i] or a.strides[i] != b.strides[i]:
            return 2
    return 1
