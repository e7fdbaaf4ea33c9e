"""Typing (issue 13.3): the package is typed (py.typed and stubs), so mypy --strict on a
downstream file sees numpy.ndarray results and flags a wrong argument type."""
import os
import subprocess
import sys
import textwrap

import pytest

import axisconv

pytest.importorskip("mypy")

GOOD = textwrap.dedent('''
    import numpy as np
    import axisconv
    from axisconv import on1d

    x = np.ones((8, 9), np.float32)
    y: np.ndarray = axisconv.correlate1d(x, [1.0, 2.0, 1.0], axis=-2, mode="wrap")
    z = axisconv.correlate_separable(x, [1.0, 2.0, 1.0], out=np.empty_like(x))
    w = axisconv.convolve2d(x, np.ones((3, 3)), mode="same")
    c, r = axisconv.separate(np.ones((3, 3)))
    v = on1d.lagged(np.ones(50), np.ones((3, 3)), rows=4)
    u = axisconv.conv1d(np.ones((2, 16, 3)), np.ones((3, 3, 4)), padding="VALID")
    n: int = axisconv.get_num_threads()
    b = axisconv.correlate_separable(np.zeros((4, 4), np.uint8), [0.5, 0.5], dtype=np.uint8)
    reveal_type(z)
    print(y.shape, z.shape, w.shape, c.shape, r.shape, v.shape, u.shape, n, b.dtype)
''')

BAD = textwrap.dedent('''
    import numpy as np
    import axisconv

    y = axisconv.correlate1d(np.ones(5), [1.0, 2.0], axis="rows")
''')


def mypy(tmp_path, name, source):
    (tmp_path / name).write_text(source)
    return subprocess.run([sys.executable, "-m", "mypy", "--strict", "--no-incremental",
                           "--cache-dir", os.devnull, name], cwd=tmp_path, capture_output=True,
                          text=True, timeout=300)


def test_mypy_strict_sees_ndarray_results(tmp_path):
    run = mypy(tmp_path, "good.py", GOOD)
    assert run.returncode == 0, run.stdout + run.stderr
    assert 'Revealed type is "numpy.ndarray' in run.stdout


def test_mypy_strict_flags_a_wrong_argument_type(tmp_path):
    run = mypy(tmp_path, "bad.py", BAD)
    assert run.returncode == 1
    assert 'Argument "axis" to "correlate1d" has incompatible type "str"' in run.stdout


def test_the_package_is_marked_typed():
    assert os.path.isfile(os.path.join(os.path.dirname(axisconv.__file__), "py.typed"))
