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
