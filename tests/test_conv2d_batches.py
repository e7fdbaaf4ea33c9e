"""convolve2d / correlate2d (docs/contract.md §4, §7) on batches, views and large planes:
leading batch axes, any strides, several column tiles and row bands per image, outputs
streamed past the caches, bitwise equality for every thread count, concurrent calls."""
import numpy as np
import pytest
from _axc_testing import assert_close2d, call, random_values
from _layouts import STORED_SHAPES
from _signal_testing import FUNCS, ROUTE_KERNELS, low_rank, oracle2d

import axisconv
from axisconv import _core


# --------------------------------------------------------------------------
# Batches, layouts, threads
# --------------------------------------------------------------------------
@pytest.mark.parametrize("fname", FUNCS)
def test_batches_and_views(simd, fname):
    rng = np.random.default_rng(13)
    k1 = low_rank(rng, 5, 5, 1)
    k2 = rng.uniform(-2, 2, (4, 3))
    base = random_values(rng, (4, 30, 40), np.float64)
    views = [base, base[:, ::-2, 1::3], base.transpose(2, 1, 0), base[::-1, :, ::-1],
             np.asfortranarray(base), base[1:3].reshape(1, 2, 30, 40)]
    for x in views:
        for k in (k1, k2):
            got = call(fname, x, k, "same", "wrap")
            assert_close2d(got, oracle2d(fname, x, k, "same", "wrap"), np.float64, k, x)
    # a list is array_like
    lst = base[0, :5, :6].tolist()
    got = call(fname, lst, k2.tolist())
    assert_close2d(got, oracle2d(fname, np.array(lst), k2), np.float64, k2, np.array(lst))


def one_thread_result(fname, x, k, mode, boundary):
    """The result on one thread, after checking that 2 and 3 threads give the same bytes."""
    ref = call(fname, x, k, mode, boundary, 0.5, threads=1)
    for t in (2, 3):
        got = call(fname, x, k, mode, boundary, 0.5, threads=t)
        assert got.tobytes() == ref.tobytes(), f"k{k.shape} {fname} {mode} threads={t}"
    return ref


@pytest.mark.parametrize("dtype", [np.float32, np.float64])
@pytest.mark.parametrize("shape", [(300, 500), (3, 110, 150)])
def test_threads_bitwise_identical(dtype, shape, restore_threads):
    rng = np.random.default_rng(14)
    x = random_values(rng, shape, dtype)
    for kname, (build, _) in ROUTE_KERNELS.items():
        k = build(rng)
        for fname, mode, boundary in [("convolve2d", "same", "symm"),
                                      ("correlate2d", "full", "fill"),
                                      ("convolve2d", "full", "wrap"),
                                      ("correlate2d", "valid", "fill")]:
            ref = one_thread_result(fname, x, k, mode, boundary)
            axisconv.set_num_threads(2)
            assert call(fname, x, k, mode, boundary, 0.5).tobytes() == ref.tobytes()
        exp = oracle2d(fname, x, k, mode, boundary, 0.5)
        assert_close2d(ref, exp, dtype, k, x, 0.5, err_msg=kname)


# --------------------------------------------------------------------------
# Large planes: several column tiles and row bands per image
# --------------------------------------------------------------------------
@pytest.mark.parametrize("dtype", [np.float32, np.float64])
def test_wide_and_tall_images(dtype):
    """Images wide and tall enough to be split into several tiles and bands
    (with uneven last ones), both routes, threads 1 / 2 / 3 bitwise equal."""
    rng = np.random.default_rng(15)
    x = random_values(rng, (250, 1531), dtype)
    for k in (low_rank(rng, 15, 15, 1), low_rank(rng, 21, 3, 1), rng.uniform(-1, 1, (9, 9)),
              rng.uniform(-1, 1, (3, 25))):
        for fname, mode, boundary in [("correlate2d", "same", "symm"),
                                      ("convolve2d", "full", "fill"),
                                      ("correlate2d", "valid", "wrap")]:
            ref = one_thread_result(fname, x, k, mode, boundary)
            exp = oracle2d(fname, x, k, mode, boundary, 0.5)
            assert_close2d(ref, exp, dtype, k, x, 0.5, err_msg=f"k{k.shape} {fname} {mode}")


@pytest.mark.parametrize("dtype", [np.float32, np.float64])
def test_large_outputs_streamed_past_the_caches(simd, dtype, stores):
    """Written with streaming stores (over the streaming threshold, here set to 0) and
    with plain ones: both routes stream whole cache lines of the result and write the
    pieces around them plainly; odd widths put the rows and the planes of a batch at many
    alignments."""
    rng = np.random.default_rng(16)
    h, w = STORED_SHAPES[np.dtype(dtype)]
    x = random_values(rng, (3, h // 2, w), dtype)
    for k in (rng.uniform(-1, 1, (3, 3)), low_rank(rng, 5, 5, 1)):
        got = call("correlate2d", x, k, "same", "symm")
        for b in range(len(x)):
            assert_close2d(got[b], oracle2d("correlate2d", x[b], k, "same", "symm", 0.0),
                           dtype, k, x[b], 0.0, err_msg=f"k{k.shape} image {b}")


def test_concurrent_calls_from_python_threads():
    """Calls from several Python threads at once (the GIL is released and
    scratch is per thread) give the same bytes as the same calls made alone."""
    import threading
    rng = np.random.default_rng(16)
    jobs = []
    for i in range(6):
        x = random_values(rng, (150 + 7 * i, 300 - 5 * i), [np.float32, np.float64][i % 2])
        k = low_rank(rng, 5, 5, 1) if i % 3 == 0 else rng.uniform(-1, 1, (3 + i % 3, 4))
        jobs.append(("conv2d", x, k))
        jobs.append(("sep", x, [rng.uniform(-1, 1, 3 + i), rng.uniform(-1, 1, 9 - i)]))

    def run(job):
        kind, x, k = job
        if kind == "conv2d":
            return axisconv.convolve2d(x, k, "same", "symm", threads=1).tobytes()
        return axisconv.correlate_separable(x, k, mode="mirror", threads=1).tobytes()

    want = [run(job) for job in jobs]
    errors = []

    def worker(offset):
        try:
            for rep in range(4):
                for i in range(len(jobs)):
                    j = (i + offset + rep) % len(jobs)
                    if run(jobs[j]) != want[j]:
                        errors.append((offset, j))
        except Exception as exc:  # pragma: no cover - reported below
            errors.append(repr(exc))

    threads = [threading.Thread(target=worker, args=(o,)) for o in range(4)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    assert not errors, errors
