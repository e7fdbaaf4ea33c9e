# cython: language_level=3
"""axisconv's C API for Cython, without linking to axisconv: the declarations of
axisconv.h (add axisconv.get_include() to the extension's include_dirs) and import_axisconv(),
which fetches the table of functions from the capsule axisconv._core exports.

    from axisconv.capi cimport *
    cdef const ax_api *ax = import_axisconv()      # once, at module import
    with nogil:
        rc = ax.correlate1d(AX_FLOAT64, vin, vout, axis, taps, K, K // 2, AX_REFLECT, 0.0, 0)
"""
from libc.stdint cimport int64_t
from cpython.pycapsule cimport PyCapsule_Import

cdef extern from "axisconv.h" nogil:
    enum:
        AX_MAXDIM
        AX_OK
        AX_ENOMEM
        AX_EINVAL
        AX_API_VERSION
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
    ctypedef enum ax_combine:
        AX_COMBINE_ROWS
        AX_COMBINE_MAX
    ctypedef struct ax_view:
        char *data
        int ndim
        const int64_t *shape
        const int64_t *strides
    ctypedef struct ax_pass:
        int axis
        const double *kernel
        int64_t ksize
        int64_t offset
        ax_mode mode
        double cval
    ctypedef struct ax_piece:
        int64_t tap0
        int64_t ntaps
        int64_t first
        int64_t line
    ctypedef enum ax_itype:
        AX_U8
        AX_U16
        AX_S16
        AX_S32
        AX_S64
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
    ctypedef struct ax_api:
        int version
        int size
        int (*correlate1d)(ax_dtype, ax_view, ax_view, int, const double *, int64_t, int64_t,
                           ax_mode, double, int) noexcept nogil
        int (*correlate_separable)(ax_dtype, ax_view, ax_view, const ax_pass *,
                                   const ax_pass *, int, int) noexcept nogil
        int (*correlate2d)(ax_dtype, ax_view, ax_view, int, int, const double *, int64_t,
                           int64_t, int64_t, int64_t, ax_mode, double, int) noexcept nogil
        int (*bank)(ax_dtype, ax_view, ax_view, const double *, int64_t, const ax_piece *,
                    int64_t, const double *, int64_t, const int64_t *, const int64_t *,
                    ax_combine, ax_mode, double, int) noexcept nogil
        int (*conv1d)(ax_dtype, ax_view, ax_view, int, int, const double *, const double *,
                      int64_t, int64_t, int64_t, int64_t, int64_t, ax_mode, int) noexcept nogil
        int (*get_num_threads)() noexcept nogil
        int (*set_num_threads)(int) noexcept nogil
        ax_simd (*simd_active)() noexcept nogil
        const char *(*simd_name)(ax_simd) noexcept nogil
        int (*correlate1d_int)(ax_itype, ax_itype, ax_view, ax_view, const ax_ipass *,
                               const ax_rounding *, int) noexcept nogil
        int (*correlate_separable_int)(ax_itype, ax_itype, ax_view, ax_view, const ax_ipass *,
                                       const ax_ipass *, const ax_rounding *, int) noexcept nogil
        int (*correlate2d_int)(ax_itype, ax_itype, ax_view, ax_view, int, int, const int64_t *,
                               int64_t, int64_t, int64_t, int64_t, ax_mode, int64_t,
                               const ax_rounding *, int) noexcept nogil
        int (*simd_supported)(ax_simd) noexcept nogil
        int (*simd_select)(ax_simd) noexcept nogil
        ax_simd (*simd_best)() noexcept nogil
        int (*threaded)() noexcept nogil


cdef inline const ax_api *import_axisconv() except NULL:
    """The table of axisconv's C functions (call with the GIL, once)."""
    cdef const ax_api *api = <const ax_api *>PyCapsule_Import(b"axisconv._core._C_API", 0)
    if api.version < AX_API_VERSION or api.size < sizeof(ax_api):
        raise ImportError("axisconv is older than the C API this module was built for")
    return api
