"""pytest configuration for the axisconv tests.

* makes tests/_axc_testing.py importable whatever pytest's import mode is;
* registers a hypothesis profile (deadline=None, modest example counts);
* the `simd` fixture: tests that request it run once per SIMD path the CPU
  supports (axisconv._simd_paths()), with the path switched on for the test
  and the previous path restored afterwards; they carry the marker `per_simd_path`
  (`-m per_simd_path` runs the kernels on every path, `-m "not per_simd_path"` the rest).
"""
import os
import sys

import pytest
from hypothesis import HealthCheck, settings

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))

import axisconv  # noqa: E402

settings.register_profile(
    "axisconv",
    deadline=None,
    max_examples=60,
    suppress_health_check=[HealthCheck.function_scoped_fixture,
                           HealthCheck.too_slow],
    print_blob=True,
)
settings.load_profile(os.environ.get("AXISCONV_HYPOTHESIS_PROFILE", "axisconv"))


def _simd_paths():
    paths = list(axisconv._simd_paths())
    assert paths, "axisconv._simd_paths() returned no path"
    return paths


def pytest_generate_tests(metafunc):
    if "simd" in metafunc.fixturenames:
        metafunc.parametrize("simd", _simd_paths(), indirect=True)


def pytest_collection_modifyitems(items):
    """Mark the tests that choose their SIMD path themselves (`-m per_simd_path`): CI's
    sanitized run takes them on every path, and the rest on the best path only."""
    for item in items:
        if "simd" in getattr(item, "fixturenames", ()):
            item.add_marker(pytest.mark.per_simd_path)


@pytest.fixture
def simd(request):
    """Switch the active SIMD path for one test, then restore it."""
    name = request.param
    previous = axisconv._set_simd(name)
    try:
        yield name
    finally:
        axisconv._set_simd(previous)


@pytest.fixture(params=["streamed", "cached"])
def stores(request):
    """Run a test with outputs written by streaming stores (the threshold at 0 bytes) and by
    plain stores (the threshold out of reach): results must not depend on it."""
    from axisconv import _core
    _core.set_stream_threshold(0 if request.param == "streamed" else 2**62)
    try:
        yield request.param
    finally:
        _core.set_stream_threshold(-1)


@pytest.fixture(params=["chosen", "left to right", "right to left"])
def column_direction(request):
    """Run a test with the column kernels' blocks in the direction each call chooses and in
    both directions forced (cache.c, ax_right_to_left): results must not depend on it."""
    from axisconv import _core
    _core.set_column_direction(["chosen", "left to right", "right to left"].index(
        request.param) - 1)
    try:
        yield request.param
    finally:
        _core.set_column_direction(-1)


@pytest.fixture
def restore_threads():
    """Restore axisconv's default thread count after a test changes it."""
    before = axisconv.get_num_threads()
    try:
        yield before
    finally:
        axisconv.set_num_threads(before)


def pytest_report_header(config):
    try:
        return [f"axisconv {axisconv.__version__} from {os.path.dirname(axisconv.__file__)}",
                f"axisconv SIMD paths: {list(axisconv._simd_paths())}, "
                f"threads: {axisconv.get_num_threads()}"]
    except Exception as exc:  # pragma: no cover - header only
        return [f"axisconv: {exc!r}"]
