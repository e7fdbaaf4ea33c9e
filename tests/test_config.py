"""Threads, configuration and version (docs/contract.md §7), and the private
SIMD hooks the test-suite relies on."""
import ctypes
import glob
import os
import platform
import re
import subprocess
import sys
import threading

import numpy as np
import pytest
from _axc_testing import assert_close, oracle, random_kernel, random_values

import axisconv

THREADED = axisconv._core.threaded()
needs_threads = pytest.mark.skipif(not THREADED, reason="serial build: the thread count is 1")
DEFAULT_AFTER_SET_2 = 2 if THREADED else 1  # a serial build stays at 1 whatever is set


def _cpu_counts():
    counts = {os.cpu_count()}
    if hasattr(os, "sched_getaffinity"):
        counts.add(len(os.sched_getaffinity(0)))
    if hasattr(os, "process_cpu_count"):
        counts.add(os.process_cpu_count())
    return {c for c in counts if c}


def _run(code, tmp_path, **env_changes):
    env = dict(os.environ)
    for key, value in env_changes.items():
        if value is None:
            env.pop(key, None)
        else:
            env[key] = value
    proc = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True,
                          env=env, cwd=str(tmp_path), timeout=120)
    assert proc.returncode == 0, proc.stderr
    return proc.stdout


# --------------------------------------------------------------------------
# version
# --------------------------------------------------------------------------
def test_version():
    v = axisconv.__version__
    assert isinstance(v, str) and v
    packaging_version = pytest.importorskip("packaging.version")
    packaging_version.Version(v)  # PEP 440


# --------------------------------------------------------------------------
# get/set_num_threads
# --------------------------------------------------------------------------
def test_get_num_threads_is_a_positive_int():
    n = axisconv.get_num_threads()
    assert isinstance(n, int) and not isinstance(n, bool)
    assert n >= 1


@needs_threads
def test_set_num_threads_round_trip(restore_threads):
    for n in (1, 2, 3, 1):
        axisconv.set_num_threads(n)
        assert axisconv.get_num_threads() == n
    axisconv.set_num_threads(np.int64(2))
    assert axisconv.get_num_threads() == 2


@pytest.mark.parametrize("n", [0, -1, -100])
def test_set_num_threads_rejects_less_than_one(n, restore_threads):
    axisconv.set_num_threads(2)
    with pytest.raises(ValueError):
        axisconv.set_num_threads(n)
    assert axisconv.get_num_threads() == DEFAULT_AFTER_SET_2


@pytest.mark.parametrize("n", [1.5, "2", np.array([2]), True])
def test_set_num_threads_rejects_non_integers(n, restore_threads):
    axisconv.set_num_threads(2)
    with pytest.raises(TypeError):
        axisconv.set_num_threads(n)
    assert axisconv.get_num_threads() == DEFAULT_AFTER_SET_2


@pytest.mark.skipif(THREADED, reason="threaded build: test_set_num_threads_round_trip")
def test_serial_build_runs_on_one_thread(capfd, restore_threads):
    assert axisconv.get_num_threads() == 1
    assert axisconv.set_num_threads(3) == 1
    assert axisconv.get_num_threads() == 1
    axisconv.show_config()
    text = capfd.readouterr().out
    assert re.search(r"threads\s*: 1 \(a serial build", text), text


def test_default_threads_used_by_calls(restore_threads):
    rng = np.random.default_rng(200)
    x = random_values(rng, (300, 700), np.float64)
    k = random_kernel(rng, 9)
    ref = axisconv.correlate1d(x, k, axis=0, threads=1)
    for n in (1, 2, 3):
        axisconv.set_num_threads(n)
        assert axisconv.correlate1d(x, k, axis=0).tobytes() == ref.tobytes()
    assert_close(ref, oracle("correlate1d", x, k, axis=0), np.float64, k, x)


@pytest.mark.parametrize("value", ["1", "3", "5"])
def test_default_honours_omp_num_threads(value, tmp_path):
    out = _run("import axisconv; print(axisconv.get_num_threads())", tmp_path,
               OMP_NUM_THREADS=value)
    assert int(out.strip().splitlines()[-1]) == (int(value) if THREADED else 1)


def test_default_without_omp_num_threads_is_cpu_count(tmp_path):
    out = _run("import axisconv; print(axisconv.get_num_threads())", tmp_path,
               OMP_NUM_THREADS=None)
    assert int(out.strip().splitlines()[-1]) in (_cpu_counts() if THREADED else {1})


def test_omp_num_threads_default_gives_same_bits(tmp_path):
    code = (
        "import numpy as np, axisconv\n"
        "x = np.random.default_rng(1).random((400, 500)).astype(np.float32)\n"
        "k = np.linspace(-1, 1, 11)\n"
        "r = axisconv.correlate1d(x, k, axis=0)\n"
        "r2 = axisconv.convolve1d(x, k, axis=1, mode='wrap')\n"
        "import hashlib; print(hashlib.sha256(r.tobytes() + r2.tobytes()).hexdigest())\n"
    )
    digests = {_run(code, tmp_path, OMP_NUM_THREADS=v).strip() for v in ("1", "2", "3")}
    assert len(digests) == 1


# --------------------------------------------------------------------------
# Concurrency: calls from several Python threads at once are correct
# --------------------------------------------------------------------------
def test_concurrent_calls_from_python_threads():
    rng = np.random.default_rng(201)
    jobs = []
    for i in range(6):
        x = random_values(rng, (200, 300), [np.float32, np.float64, np.complex64][i % 3])
        k = random_kernel(rng, 3 + 2 * i)
        axis = i % 2
        mode = ["reflect", "mirror", "wrap", "nearest", "constant", "zeros"][i]
        ref = axisconv.correlate1d(x, k, axis=axis, mode=mode, threads=1)
        jobs.append((x, k, axis, mode, ref))
    results = [None] * len(jobs)
    errors = []

    def work(i):
        x, k, axis, mode, _ = jobs[i]
        try:
            for _ in range(3):
                results[i] = axisconv.correlate1d(x, k, axis=axis, mode=mode,
                                                  threads=1 + i % 2)
        except Exception as exc:  # pragma: no cover - reported below
            errors.append(exc)

    threads = [threading.Thread(target=work, args=(i,)) for i in range(len(jobs))]
    for t in threads:
        t.start()
    for t in threads:
        t.join(timeout=120)
    assert not errors, errors
    for i, (x, k, axis, mode, ref) in enumerate(jobs):
        assert results[i].tobytes() == ref.tobytes(), f"job {i} differs"


# --------------------------------------------------------------------------
# show_config
# --------------------------------------------------------------------------
def test_show_config(simd, capfd, restore_threads):
    axisconv.set_num_threads(3)
    axisconv.show_config()
    text = capfd.readouterr().out
    assert axisconv.__version__ in text
    assert simd in text, f"active SIMD path {simd!r} not shown:\n{text}"
    assert "thread" in text.lower()
    shown = 3 if THREADED else 1
    assert re.search(rf"(?<![\d.]){shown}(?![\d.])", text), \
        f"thread count {shown} not shown:\n{text}"


# --------------------------------------------------------------------------
# Private SIMD hooks
# --------------------------------------------------------------------------
def test_simd_hooks():
    paths = axisconv._simd_paths()
    assert isinstance(paths, (list, tuple)) and paths
    assert all(isinstance(p, str) and p for p in paths)
    assert len(set(paths)) == len(paths)
    first = axisconv._set_simd(paths[0])
    try:
        assert first in paths
        for p in paths:
            prev = axisconv._set_simd(p)
            assert prev in paths
            assert axisconv._set_simd(p) == p        # returns the previous one
    finally:
        axisconv._set_simd(first)
    with pytest.raises(ValueError, match="no-such-simd-path"):
        axisconv._set_simd("no-such-simd-path")
    assert axisconv._set_simd(first) == first        # unchanged by the failed call


def _cpuinfo_flags():
    """The first CPU's flags in /proc/cpuinfo (the kernel's view, OS support included); None
    where there is no such file."""
    try:
        with open("/proc/cpuinfo") as f:
            for line in f:
                if line.startswith("flags"):
                    return set(line.split(":", 1)[1].split())
    except OSError:
        pass
    return None


@pytest.mark.skipif(platform.machine().lower() not in ("x86_64", "amd64"), reason="x86-64 paths")
def test_simd_paths_are_what_the_cpu_reports(tmp_path):
    """dispatch.c decides at run time: AVX2 with FMA, AVX-512 with F, BW, DQ and VL (every
    AVX-512 CPU since Skylake-SP), and a process starts on the best of them."""
    flags = _cpuinfo_flags()
    if flags is None:
        pytest.skip("no /proc/cpuinfo")
    want = ["baseline"]
    if {"avx2", "fma"} <= flags:
        want.append("avx2")
        if {"avx512f", "avx512bw", "avx512dq", "avx512vl"} <= flags:
            want.append("avx512")
    assert list(axisconv._simd_paths()) == want
    started = _run("import axisconv; print(axisconv._simd_path())", tmp_path, AXISCONV_SIMD=None)
    assert started.strip() == want[-1]


def test_every_simd_path_agrees_with_scipy():
    rng = np.random.default_rng(202)
    x = random_values(rng, (37, 129), np.float32)
    k = random_kernel(rng, 11)
    paths = axisconv._simd_paths()
    first = axisconv._set_simd(paths[0])
    try:
        for p in paths:
            axisconv._set_simd(p)
            for axis in (0, 1):
                got = axisconv.convolve1d(x, k, axis=axis, mode="mirror")
                assert_close(got, oracle("convolve1d", x, k, axis=axis, mode="mirror"),
                             np.float32, k, x, err_msg=p)
    finally:
        axisconv._set_simd(first)


# --------------------------------------------------------------------------
# The GIL is released while computing (docs/contract.md §2)
# --------------------------------------------------------------------------
def test_gil_released_during_computation():
    """While one Python thread runs a long correlate1d, another Python thread
    must get to run bytecode in the middle of that call.  (No speed is
    measured: with the GIL held, the main thread could not run at all between
    the call's start and its end.)"""
    import time
    rng = np.random.default_rng(203)
    x = random_values(rng, (2500, 2500), np.float64)
    k = random_kernel(rng, 101)
    span = {}

    def work():
        span["start"] = time.perf_counter()
        axisconv.correlate1d(x, k, axis=0, threads=1)
        span["end"] = time.perf_counter()

    worker = threading.Thread(target=work)
    stamps = []
    worker.start()
    while worker.is_alive():
        stamps.append(time.perf_counter())
        time.sleep(0.0005)
    worker.join()
    start, end = span["start"], span["end"]
    duration = end - start
    if duration < 0.02:
        pytest.skip(f"call too short ({duration:.3f}s) to observe the GIL")
    middle = [t for t in stamps if start + 0.25 * duration < t < end - 0.25 * duration]
    assert middle, f"main thread never ran during a {duration:.3f}s call: GIL held?"


# --------------------------------------------------------------------------
# Streaming stores: above three quarters of the last-level cache one core shares
# --------------------------------------------------------------------------
def _sysfs_caches():
    """cpu0's caches in sysfs, read independently of the library: (level, type, bytes, ways)
    of each index, bytes and ways 0 where sysfs does not say."""
    caches = []
    for index in sorted(glob.glob("/sys/devices/system/cpu/cpu0/cache/index*")):
        def field(name, parse):
            try:
                with open(os.path.join(index, name)) as f:
                    return parse(f.read().strip())
            except (OSError, ValueError):
                return None
        level, kind = field("level", int), field("type", str)
        if level is None:
            continue
        size = field("size", lambda t: int(t.rstrip("KMG")) *
                     {"K": 2**10, "M": 2**20, "G": 2**30}.get(t[-1:], 1))
        caches.append((level, kind, size or 0, field("ways_of_associativity", int) or 0))
    return caches


def _sysfs_llc_bytes():
    """The largest-level cache of cpu0 in sysfs (0 where sysfs does not say)."""
    best = (0, 0)
    for level, _, size, _ in _sysfs_caches():
        if level > best[0] and size > 0:
            best = (level, size)
    return best[1]


def test_stream_threshold_is_three_quarters_of_the_last_level_cache():
    llc = _sysfs_llc_bytes()
    if not llc:
        pytest.skip("no cache sizes in sysfs")
    axisconv._core.set_stream_threshold(-1)
    assert axisconv._core.stream_threshold() == llc // 4 * 3


def test_streaming_is_for_large_calls_of_short_kernels():
    """Both branches of the policy: a pass of at most 16 taps streams once its input and
    output exceed the threshold; a longer one, bound by its arithmetic, writes plainly --
    unless the threshold is 0, which streams everything (the `stores` fixture's use)."""
    axisconv._core.set_stream_threshold(-1)
    big = axisconv._core.stream_threshold() + 1
    assert axisconv._core.stream_pays(big, 3) and axisconv._core.stream_pays(big, 16)
    assert not axisconv._core.stream_pays(big, 17) and not axisconv._core.stream_pays(big, 31)
    assert not axisconv._core.stream_pays(big - 1, 3)
    try:
        axisconv._core.set_stream_threshold(0)
        assert axisconv._core.stream_pays(1, 3) and axisconv._core.stream_pays(1, 31)
    finally:
        axisconv._core.set_stream_threshold(-1)


def test_stream_threshold_can_be_chosen_and_restored():
    default = axisconv._core.stream_threshold()
    try:
        axisconv._core.set_stream_threshold(12345)
        assert axisconv._core.stream_threshold() == 12345
    finally:
        axisconv._core.set_stream_threshold(-1)
    assert axisconv._core.stream_threshold() == default


# --------------------------------------------------------------------------
# The caches the kernels size themselves by, and the column kernels' direction
# --------------------------------------------------------------------------
def _sysfs_l1d_ways():
    """Ways of cpu0's level-1 data cache in sysfs (None where sysfs does not say)."""
    for level, kind, _, ways in _sysfs_caches():
        if level == 1 and kind != "Instruction" and ways > 0:
            return ways
    return None


# glibc's sysconf names (bits/confname.h); Python's os.sysconf lacks the cache ones
_SC_LEVEL1_DCACHE_ASSOC, _SC_LEVEL2_CACHE_SIZE = 189, 191


def _libc_sysconf(name):
    """sysconf(name) of this process's own C library (under qemu-user the emulated one), the
    library's fallback; None where that is not glibc."""
    if platform.libc_ver()[0] != "glibc":
        return None
    libc = ctypes.CDLL(None)
    libc.sysconf.restype = ctypes.c_long
    libc.sysconf.argtypes = [ctypes.c_int]
    return libc.sysconf(name)


def test_caches_are_read_from_the_system():
    """The sizes every working set and policy derives from are this machine's, not constants:
    the L1's ways from sysfs (else the C library), the last-level cache from sysfs, the L2
    from the C library; out-of-range answers fall back to 8 ways and 512 KiB (cache.c)."""
    ways, l2, llc = axisconv._core.caches()
    want_ways = _sysfs_l1d_ways() or _libc_sysconf(_SC_LEVEL1_DCACHE_ASSOC)
    if want_ways is not None:
        assert ways == (want_ways if 2 <= want_ways <= 64 else 8)
    sysconf_l2 = _libc_sysconf(_SC_LEVEL2_CACHE_SIZE)
    if sysconf_l2 is not None:
        assert l2 == (sysconf_l2 if 128 << 10 <= sysconf_l2 <= 64 << 20 else 512 << 10)
    if _sysfs_llc_bytes():
        assert llc == _sysfs_llc_bytes()


def test_data_stays_cached_within_a_quarter_of_the_last_level_cache():
    llc = axisconv._core.caches()[2]
    if not llc:
        assert not axisconv._core.stays_cached(1)  # unknown: never assumed cached
        return
    assert axisconv._core.stays_cached(llc // 4)
    assert not axisconv._core.stays_cached(llc // 4 + 1)


def _rows(first, count):
    """Addresses of `count` rows 4 KiB apart from `first` (the rule never dereferences them)."""
    return np.array([first + 4096 * r for r in range(count)], dtype=np.uintp)


@pytest.fixture
def chosen_direction():
    axisconv._core.set_column_direction(-1)
    yield
    axisconv._core.set_column_direction(-1)


@pytest.mark.parametrize("vector_bytes", [16, 32, 64])
def test_column_direction_rule_takes_every_branch(vector_bytes, chosen_direction):
    """cache.c, ax_right_to_left: right to left only when most stores of a block would sit
    just ahead of the loads to come modulo 4 KiB, and then for vectors narrower than a line
    only when the block's window overflows the L1's ways, for vectors a line wide only when
    the data stays cached.  Each branch, whatever this CPU would pick (the kernels' results
    under both directions are test_lines.py's)."""
    rtl = axisconv._core.right_to_left
    group, ways = axisconv._core.ROW_GROUP, axisconv._core.caches()[0]
    base = 1 << 30
    inputs = _rows(base, 64 + group)
    ahead, even, behind = _rows(base + 16, group), _rows(base, group), _rows(base - 16, group)
    wide = vector_bytes >= 64
    for taps in (3, ways - group + 1, ways - group + 2, 31):
        if taps < 1:
            continue
        beyond_ways = taps + group - 1 > ways
        for cached in (False, True):
            want = cached if wide else beyond_ways
            msg = f"taps {taps} ways {ways} cached {cached} vector {vector_bytes} B"
            assert rtl(inputs, ahead, 4 * group, taps, vector_bytes, cached) == want, msg
            assert not rtl(inputs, even, 4 * group, taps, vector_bytes, cached), msg
            assert not rtl(inputs, behind, 4 * group, taps, vector_bytes, cached), msg
            # fewer output rows than a block: never
            assert not rtl(inputs, ahead, group - 1, taps, vector_bytes, cached), msg
    # the majority decides: 3 of 4 output rows ahead turn, 2 of 4 do not (a window beyond
    # the ways, which sysfs may put as high as 64)
    taps = max(31, ways)
    for n_ahead, want in ((group - 1, True), (group // 2, False)):
        outs = np.concatenate([ahead[:n_ahead], behind[n_ahead:]])
        assert rtl(inputs, outs, 4 * group, taps, vector_bytes, True) == want
    # stores up to 128 bytes ahead stall the loads; further ahead they do not
    assert rtl(inputs, _rows(base + 128, group), 4 * group, taps, vector_bytes, True)
    assert not rtl(inputs, _rows(base + 129, group), 4 * group, taps, vector_bytes, True)


def test_column_direction_can_be_forced(chosen_direction):
    inputs, ahead = _rows(1 << 30, 40), _rows((1 << 30) + 16, 4)
    for forced in (0, 1):
        axisconv._core.set_column_direction(forced)
        for args in ((ahead, 16, 31, 64, True), (inputs[:4], 16, 3, 32, False)):
            assert axisconv._core.right_to_left(inputs, *args) == bool(forced)
    axisconv._core.set_column_direction(-1)
    assert axisconv._core.right_to_left(inputs, ahead, 16, 31, 64, True)


def test_column_direction_hook_reads_its_addresses_safely():
    with pytest.raises(ValueError):
        axisconv._core.right_to_left(_rows(0, 3), _rows(16, 4), 16, 3, 64, True)
    with pytest.raises(ValueError):
        axisconv._core.right_to_left(_rows(0, 6), _rows(16, 3), 16, 3, 64, True)
    with pytest.raises(TypeError):
        axisconv._core.right_to_left(None, _rows(16, 4), 16, 3, 64, True)
    with pytest.raises(OverflowError):  # addresses are unsigned
        axisconv._core.right_to_left([-4096] * 6, _rows(16, 4), 16, 3, 64, True)
    # the addresses are read element by element: lists, other integer dtypes and reversed
    # views give the answers of the same addresses in order
    ins, outs = _rows(1 << 30, 40), _rows((1 << 30) + 16, 4)
    for i, o in ((ins.tolist(), outs.tolist()), (ins.astype(np.int64), outs.astype(np.int64)),
                 (ins[::-1][::-1], outs[::-1].copy()[::-1])):
        assert axisconv._core.right_to_left(i, o, 16, 31, 64, True)
        assert not axisconv._core.right_to_left(i, ins[:4], 16, 31, 64, True)
