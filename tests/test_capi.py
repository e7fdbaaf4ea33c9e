"""The C API as another extension sees it (issue 13.2): a downstream Cython module, built
here against the installed package alone (axisconv.get_include(), axisconv/capi.pxd), calls
axisconv's C functions without the GIL through the capsule, and gets what the Python API
gives.  And axisconv's own symbols stay hidden."""
import os
import subprocess
import sys
import textwrap

import numpy as np
import pytest

import axisconv

pytest.importorskip("Cython")
pytest.importorskip("setuptools")

DOWNSTREAM = textwrap.dedent('''
    # cython: language_level=3, boundscheck=False, wraparound=False
    import array
    from libc.stdint cimport int64_t
    from axisconv.capi cimport *

    cdef const ax_api *ax = import_axisconv()

    def correlate_rows(double[:, ::1] x, double[::1] k, double[:, ::1] out, int mode,
                       double cval):
        """correlate1d along axis 1, called without the GIL."""
        cdef int64_t shape[2]
        cdef int64_t strides[2]
        shape[0], shape[1] = x.shape[0], x.shape[1]
        strides[0], strides[1] = x.strides[0], x.strides[1]
        cdef ax_view vin, vout
        vin.data, vin.ndim, vin.shape, vin.strides = <char *>&x[0, 0], 2, shape, strides
        vout.data, vout.ndim, vout.shape, vout.strides = <char *>&out[0, 0], 2, shape, strides
        cdef int rc
        with nogil:
            rc = ax.correlate1d(AX_FLOAT64, vin, vout, 1, &k[0], k.shape[0], k.shape[0] // 2,
                                <ax_mode>mode, cval, 0)
        return rc

    def separable(double[:, ::1] x, double[::1] k, double[:, ::1] out):
        """correlate_separable over both axes (rows first), without the GIL."""
        cdef int64_t shape[2]
        cdef int64_t strides[2]
        shape[0], shape[1] = x.shape[0], x.shape[1]
        strides[0], strides[1] = x.strides[0], x.strides[1]
        cdef ax_view vin, vout
        vin.data, vin.ndim, vin.shape, vin.strides = <char *>&x[0, 0], 2, shape, strides
        vout.data, vout.ndim, vout.shape, vout.strides = <char *>&out[0, 0], 2, shape, strides
        cdef ax_pass first, second
        first.axis, first.kernel, first.ksize = 1, &k[0], k.shape[0]
        first.offset, first.mode, first.cval = k.shape[0] // 2, AX_REFLECT, 0.0
        second = first
        second.axis = 0
        cdef int rc
        with nogil:
            rc = ax.correlate_separable(AX_FLOAT64, vin, vout, &first, &second, 0, 1)
        return rc

    def simd_name():
        return ax.simd_name(ax.simd_active()).decode()

    def simd_settings():
        """(best path, supported paths, threaded) as the table reports them."""
        cdef int p
        paths = [ax.simd_name(<ax_simd>p).decode() for p in range(3)
                 if ax.simd_supported(<ax_simd>p)]
        return ax.simd_name(ax.simd_best()).decode(), paths, ax.threaded()

    def simd_select(int path):
        return ax.simd_select(<ax_simd>path)

    cdef ax_view view2d(unsigned char[:, ::1] a, int64_t *shape, int64_t *strides):
        shape[0], shape[1] = a.shape[0], a.shape[1]
        strides[0], strides[1] = a.strides[0], a.strides[1]
        cdef ax_view v
        v.data, v.ndim, v.shape, v.strides = <char *>&a[0, 0], 2, shape, strides
        return v

    def correlate_int(unsigned char[:, ::1] x, int64_t[::1] taps, unsigned char[:, ::1] out,
                      int shift, int how):
        """uint8 in and out, rounding half up by `shift` bits, mode reflect: how = 1 the rows
        (correlate1d_int), 2 rows then columns (correlate_separable_int), 3 the 2-D kernel
        outer(taps, taps) (correlate2d_int)."""
        cdef int64_t si[2], ti[2], so[2], to[2]
        cdef ax_view vin = view2d(x, si, ti), vout = view2d(out, so, to)
        cdef int64_t K = taps.shape[0], i, j
        cdef ax_ipass rows, cols
        rows.axis, rows.taps, rows.ksize, rows.offset = 1, &taps[0], K, K // 2
        rows.mode, rows.cval = AX_REFLECT, 0
        cols = rows
        cols.axis = 0
        cdef ax_rounding r
        r.wide, r.shift, r.init, r.post, r.lo, r.hi = 0, shift, 1 << (shift - 1), 0, 0, 255
        outer = [taps[i] * taps[j] for i in range(K) for j in range(K)]
        cdef int64_t[::1] q = array.array("q", outer)
        cdef int rc
        with nogil:
            if how == 1:
                rc = ax.correlate1d_int(AX_U8, AX_U8, vin, vout, &rows, &r, 0)
            elif how == 2:
                rc = ax.correlate_separable_int(AX_U8, AX_U8, vin, vout, &rows, &cols, &r, 0)
            else:
                rc = ax.correlate2d_int(AX_U8, AX_U8, vin, vout, 0, 1, &q[0], K, K, K // 2,
                                        K // 2, AX_REFLECT, 0, &r, 0)
        return rc
''')

SETUP = textwrap.dedent('''
    import axisconv
    from Cython.Build import cythonize
    from setuptools import Extension, setup
    setup(name="downstream", script_args=["build_ext", "--inplace", "-q"],
          ext_modules=cythonize([Extension("downstream", ["downstream.pyx"],
                                           include_dirs=[axisconv.get_include()])],
                                quiet=True))
''')


@pytest.fixture(scope="module")
def downstream(tmp_path_factory):
    where = tmp_path_factory.mktemp("downstream")
    (where / "downstream.pyx").write_text(DOWNSTREAM)
    (where / "setup.py").write_text(SETUP)
    build = subprocess.run([sys.executable, "setup.py"], cwd=where, capture_output=True,
                           text=True, timeout=600)
    assert build.returncode == 0, build.stdout + build.stderr
    sys.path.insert(0, str(where))
    try:
        import downstream
        yield downstream
    finally:
        sys.path.remove(str(where))


@pytest.mark.parametrize("mode,code", [("reflect", 0), ("mirror", 1), ("nearest", 2),
                                       ("wrap", 3), ("constant", 4)])
def test_downstream_cython_calls_the_c_api(downstream, mode, code):
    rng = np.random.default_rng(code)
    x, k = rng.standard_normal((37, 53)), rng.standard_normal(7)
    out = np.empty_like(x)
    assert downstream.correlate_rows(x, k, out, code, 1.5) == 0
    np.testing.assert_array_equal(out, axisconv.correlate1d(x, k, mode=mode, cval=1.5))


def test_downstream_separable_and_simd(downstream):
    rng = np.random.default_rng(9)
    x, k = rng.standard_normal((64, 80)), np.array([1.0, 4.0, 6.0, 4.0, 1.0]) / 16
    out = np.empty_like(x)
    assert downstream.separable(x, k, out) == 0
    np.testing.assert_array_equal(out, axisconv.correlate_separable(x, k))
    assert downstream.simd_name() == axisconv._simd_path()


def test_downstream_integer_functions(downstream):
    """Version 2 of the table: the integer filters, against sums in NumPy."""
    rng = np.random.default_rng(3)
    x = rng.integers(0, 256, (23, 41), dtype=np.uint8)
    taps = np.array([1, 3, 3, 1], dtype=np.int64)  # 8 in all: sums of 3 bits more
    padded = np.pad(x.astype(np.int64), 2, mode="symmetric")  # reflect, 2 either side
    rows = sum(taps[t] * padded[2:-2, t:t + 41] for t in range(4))  # offset 2 = K // 2
    grid = sum(taps[s] * taps[t] * padded[s:s + 23, t:t + 41]
               for s in range(4) for t in range(4))
    for how, S, shift in ((1, rows, 3), (2, grid, 6), (3, grid, 6)):
        out = np.empty_like(x)
        assert downstream.correlate_int(x, taps, out, shift, how) == 0
        want = np.clip((S + (1 << (shift - 1))) >> shift, 0, 255)
        np.testing.assert_array_equal(out, want, err_msg=f"how={how}")


def test_downstream_simd_settings(downstream):
    best, paths, threaded = downstream.simd_settings()
    assert paths == axisconv._simd_paths() and best == paths[-1]
    assert threaded == axisconv._config._core.threaded()
    previous = axisconv._simd_path()
    try:
        assert downstream.simd_select(0) == 0 and axisconv._simd_path() == paths[0]
        assert downstream.simd_select(99) < 0 and axisconv._simd_path() == paths[0]
    finally:
        axisconv._set_simd(previous)


def test_c_api_capsule_and_headers():
    include = axisconv.get_include()
    assert os.path.isfile(os.path.join(include, "axisconv.h"))
    assert os.path.isfile(os.path.join(include, "axisconv_capi.h"))
    assert "axisconv._core._C_API" in repr(axisconv._config._core._C_API)


@pytest.mark.skipif(not sys.platform.startswith("linux"), reason="ELF symbol table")
def test_only_the_entry_points_are_exported():
    nm = subprocess.run(["nm", "-D", "--defined-only", axisconv._config._core.__file__],
                        capture_output=True, text=True)
    if nm.returncode:
        pytest.skip("nm is not available")
    exported = {line.split()[-1] for line in nm.stdout.splitlines() if " T " in line}
    assert exported == {"PyInit__core", "ax_get_num_threads", "ax_set_num_threads"}
