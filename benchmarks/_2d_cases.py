"""The cases of bench_2d.py: what each library runs (one builder per group of cases), the float64
reference each result must equal and the tolerance."""

from __future__ import annotations

import numpy as np

from _benchlibs import THREADS
from _benchtime import Impl
from _benchutil import copy_into, gaussian_kernel

SIZE = (2048, 2048)
SEP_KS = (3, 7, 15, 31)
KXK_KS = (3, 5, 7, 9, 11, 15, 21, 31)
CONV_SHAPE = (512, 512)


class Case:
    def __init__(self, group, label, dtype, shape, **params):
        self.group, self.label, self.dtype, self.shape = group, label, np.dtype(dtype), shape
        self.params = params


def make_cases():
    f32, lbl = np.float32, "2d float32 2048x2048"
    cases = [Case("sep", f"sep float32 2048x2048 Gaussian K={K}", f32, SIZE, K=K) for K in SEP_KS]
    cases.append(Case("2d", f"{lbl} 3x3 random", f32, SIZE, kind="random", K=3))
    for kdt in (np.float64, np.float32):
        cases.append(Case("2d", f"{lbl} 5x5 rank-1 ({np.dtype(kdt).name} kernel)", f32, SIZE,
                          kind="rank1", K=5, kdtype=kdt))
    cases.append(Case("conv2d", "conv2d float64 512x512 5x5 random", np.float64, CONV_SHAPE, K=5))
    cases += [Case("kxk", f"KxK float32 2048x2048 K={K}", f32, SIZE, K=K) for K in KXK_KS]
    return cases


# ----------------------------------------------------------------------------- helpers


def cv2_filter2d_path(kh: int, kw: int, dtype) -> str:
    """Which algorithm cv2.filter2D uses (OpenCV imgproc filter.dispatch.cpp, dftFilter2D):
    a DFT when the kernel area is >= 130 for float32 -> float32 (with SSE3), >= 50 otherwise."""
    limit = 130 if np.dtype(dtype) == np.float32 else 50
    return f"DFT (area {kh * kw} >= {limit})" if kh * kw >= limit else "direct"


def axisconv_2d_path(ac, k: np.ndarray) -> str:
    """The path axisconv.correlate2d takes for kernel k: its rule (axisconv/conv2d.py) is r fused
    separable passes when r = rank(separate(k)) satisfies r * (kh + kw) < kh * kw, else direct."""
    kh, kw = k.shape
    r = len(ac.separate(k)[0])
    if kh > 1 and kw > 1 and 0 < r and r * (kh + kw) < kh * kw:
        return f"separable passes (separate() rank {r})"
    return f"direct 2-D (separate() rank {r})"


def random_kernel(rng, shape) -> np.ndarray:
    """Standard-normal kernel scaled to sum |k| = 1 (float64): outputs stay within max |x|."""
    k = rng.standard_normal(shape)
    return k / np.abs(k).sum()


def tolerance(dtype, taps: int, l1: float, xmax: float) -> float:
    """Max |err| allowed against the float64 reference: 16 eps sqrt(taps) sum|k| max|x|. Far above
    float rounding (observed errors are ~100x smaller), far below any indexing/boundary error."""
    return 16 * float(np.finfo(dtype).eps) * np.sqrt(taps) * l1 * xmax


def fft_same_symm(x64: np.ndarray, k64: np.ndarray) -> np.ndarray:
    """scipy.signal.correlate2d(x, k, mode='same', boundary='symm') for odd kernels, via FFT:
    the symmetric-padded input (numpy 'symmetric' = scipy.signal 'symm' = d c b a | a b c d)
    correlated in mode 'valid'. Exact up to float64 rounding; fast for large kernels."""
    import scipy.signal as ss

    kh, kw = k64.shape
    assert kh % 2 and kw % 2, "odd kernels only"
    xp = np.pad(x64, ((kh // 2, kh // 2), (kw // 2, kw // 2)), mode="symmetric")
    return ss.correlate(xp, k64, mode="valid", method="fft")


def separable_ref(x, kc, kr):
    """Float64 rows-then-columns scipy.ndimage.correlate1d, mode reflect."""
    import scipy.ndimage as ndi

    rows = ndi.correlate1d(x.astype(np.float64), kr.astype(np.float64), -1, mode="reflect")
    return ndi.correlate1d(rows, kc.astype(np.float64), -2, mode="reflect")


def copy_impl(x, executor) -> Impl:
    return Impl("copy", into=copy_into(x, executor), out=np.empty_like(x), ref_mode="copy",
                note="np.copyto, 2 threads")


def cv2_impl(name, into, x, note, ref_mode="reflect") -> Impl:
    """An OpenCV call into(dst) writing dst= (BORDER_REFLECT: d c b a | a b c d, scipy.ndimage's
    'reflect', scipy.signal's 'symm')."""
    return Impl(name, into=into, out=np.empty_like(x), ref_mode=ref_mode, note=note)


# ----------------------------------------------------------------------------- builders


def build_sep(libs, case, x, rng, executor):
    K = case.params["K"]
    w = gaussian_kernel(K, np.float32)  # cast once: every library gets the same weights
    impls = []
    if libs.axisconv is not None:
        ac = libs.axisconv
        impls.append(Impl(
            "axisconv", out=np.empty_like(x),
            into=lambda dst: ac.correlate_separable(x, w, mode="reflect", out=dst, threads=THREADS),
            note="correlate_separable(x, w, mode='reflect', out=, threads=2)"))
    if libs.cv2 is not None:
        cv2 = libs.cv2
        impls.append(cv2_impl(
            "cv2", lambda d: cv2.sepFilter2D(x, -1, w, w, dst=d, borderType=cv2.BORDER_REFLECT),
            x, "sepFilter2D(x, -1, w, w, dst=, BORDER_REFLECT), 2 threads"))
    if libs.scipy_ndimage is not None:
        ndi, tmp = libs.scipy_ndimage, np.empty_like(x)

        def f_scipy(dst):
            ndi.correlate1d(x, w, -1, output=tmp, mode="reflect")
            ndi.correlate1d(tmp, w, -2, output=dst, mode="reflect")
            return dst

        impls.append(Impl("scipy", into=f_scipy, out=np.empty_like(x),
                          note="ndimage.correlate1d rows then columns, output=, 1 thread"))
    impls.append(copy_impl(x, executor))
    return impls, lambda: separable_ref(x, w, w), tolerance(x.dtype, 2 * K, 1.0, 1.0), {}


def build_2d(libs, case, x, rng, executor):
    K, kind = case.params["K"], case.params["kind"]
    info = {}
    if kind == "random":
        k = random_kernel(rng, (K, K)).astype(np.float32)
        factors = None
    else:
        a, b = (random_kernel(rng, K) for _ in range(2))
        kdt = case.params["kdtype"]
        a, b = a.astype(kdt), b.astype(kdt)
        k = np.outer(a, b)  # what a user writes; in float32 the product is rounded to float32
        factors = (a, b)  # column factor (along axis -2), row factor (along axis -1)
    info["kernel"] = f"{k.shape[0]}x{k.shape[1]} {'rank-1' if kind == 'rank1' else kind}, {k.dtype}"
    impls = []
    if libs.axisconv is not None:
        ac = libs.axisconv
        info["axisconv path"] = axisconv_2d_path(ac, k)
        impls.append(Impl(
            "axisconv", lambda: ac.correlate2d(x, k, mode="same", boundary="symm", threads=THREADS),
            note=f"correlate2d(same, symm, threads=2), allocates its result; "
                 f"path: {info['axisconv path']}"))
    if libs.cv2 is not None:
        cv2 = libs.cv2
        info["cv2 path"] = cv2_filter2d_path(*k.shape, x.dtype)
        impls.append(cv2_impl(
            "cv2", lambda d: cv2.filter2D(x, -1, k, dst=d, borderType=cv2.BORDER_REFLECT),
            x, f"filter2D(x, -1, k {k.shape[0]}x{k.shape[1]}, dst=, BORDER_REFLECT), 2 threads; "
               f"{info['cv2 path']}"))
        if factors is not None:
            ky, kx = factors
            impls.append(cv2_impl(
                "cv2 sep",
                lambda d: cv2.sepFilter2D(x, -1, kx, ky, dst=d, borderType=cv2.BORDER_REFLECT), x,
                "sepFilter2D(x, -1, row factor, column factor, dst=, BORDER_REFLECT): needs the "
                "factors"))
    if libs.scipy_signal is not None:
        ss = libs.scipy_signal
        sdt = np.result_type(x.dtype, k.dtype)
        promo = (f"; returns {sdt} (numpy promotion of the {x.dtype} image and the {k.dtype} "
                 "kernel)" if sdt != x.dtype else "")
        im = Impl("scipy", lambda: ss.correlate2d(x, k, mode="same", boundary="symm"),
                  note="signal.correlate2d(same, symm), 1 thread" + promo)
        im.expect_dtype = sdt  # scipy.signal promotes; axisconv and cv2 keep x's dtype
        impls.append(im)
    impls.append(copy_impl(x, executor))

    def ref():
        import scipy.signal as ss

        return ss.correlate2d(x.astype(np.float64), k.astype(np.float64), mode="same",
                              boundary="symm")

    return impls, ref, tolerance(x.dtype, K * K, float(np.abs(k).sum()), 1.0), info


def build_conv(libs, case, x, rng, executor):
    K = case.params["K"]
    k = random_kernel(rng, (K, K))  # float64
    info = {"kernel": f"{K}x{K} random, float64"}
    impls = []
    if libs.axisconv is not None:
        ac = libs.axisconv
        info["axisconv path"] = axisconv_2d_path(ac, k[::-1, ::-1])
        impls.append(Impl(
            "axisconv", lambda: ac.convolve2d(x, k, mode="same", boundary="symm", threads=THREADS),
            note=f"convolve2d(same, symm, threads=2); path: {info['axisconv path']}"))
        # Diagnostic: the same call on one thread (a small image: no fork/join, no waiting).
        impls.append(Impl(
            "axisconv 1 thread",
            lambda: ac.convolve2d(x, k, mode="same", boundary="symm", threads=1),
            note="convolve2d(same, symm, threads=1): diagnostic, separates the kernel from the "
                 "threading"))
    if libs.scipy_signal is not None:
        ss = libs.scipy_signal
        impls.append(Impl("scipy", lambda: ss.convolve2d(x, k, mode="same", boundary="symm"),
                          note="signal.convolve2d(same, symm), 1 thread"))
    if libs.cv2 is not None:
        cv2, kf = libs.cv2, np.ascontiguousarray(k[::-1, ::-1])
        info["cv2 path"] = cv2_filter2d_path(K, K, x.dtype)
        impls.append(cv2_impl(
            "cv2", lambda d: cv2.filter2D(x, -1, kf, dst=d, borderType=cv2.BORDER_REFLECT),
            x, "filter2D with the flipped kernel (odd size: centred anchor), dst=, BORDER_REFLECT, "
               f"2 threads; {info['cv2 path']}"))

    def ref():
        import scipy.signal as ss

        return ss.convolve2d(x, k, mode="same", boundary="symm")

    return impls, ref, tolerance(x.dtype, K * K, 1.0, 1.0), info


def build_kxk(libs, case, x, rng, executor):
    K = case.params["K"]
    k = random_kernel(rng, (K, K)).astype(np.float32)  # full rank (almost surely)
    kc = random_kernel(rng, K).astype(np.float32)  # along axis -2 (down the columns)
    kr = random_kernel(rng, K).astype(np.float32)  # along axis -1 (along the rows)
    info = {}
    impls = []
    if libs.axisconv is not None:
        ac = libs.axisconv
        info["axisconv path"] = axisconv_2d_path(ac, k)
        impls.append(Impl(
            "axisconv full", lambda: ac.correlate2d(x, k, mode="same", boundary="symm",
                                                    threads=THREADS),
            ref_mode="full",
            note=f"correlate2d(KxK, same, symm, threads=2); path: {info['axisconv path']}"))
        impls.append(Impl(
            "axisconv sep", lambda: ac.correlate_separable(x, [kc, kr], axes=(-2, -1),
                                                           mode="reflect", threads=THREADS),
            ref_mode="sep", note="correlate_separable(x, [kc, kr], axes=(-2, -1), "
                                 "mode='reflect', threads=2), allocates its result like "
                                 "correlate2d"))
    if libs.cv2 is not None:
        cv2 = libs.cv2
        info["cv2 path"] = cv2_filter2d_path(K, K, x.dtype)
        impls.append(cv2_impl(
            "cv2 full", lambda d: cv2.filter2D(x, -1, k, dst=d, borderType=cv2.BORDER_REFLECT),
            x, f"filter2D(KxK, dst=, BORDER_REFLECT), 2 threads; {info['cv2 path']}",
            ref_mode="full"))
        impls.append(cv2_impl(
            "cv2 sep",
            lambda d: cv2.sepFilter2D(x, -1, kr, kc, dst=d, borderType=cv2.BORDER_REFLECT),
            x, "sepFilter2D(x, -1, kr, kc, dst=, BORDER_REFLECT), 2 threads", ref_mode="sep"))
    if info.get("axisconv path", "direct").startswith("separable"):
        print(f"  note: {case.label}: the random KxK kernel is not full rank for axisconv "
              f"({info['axisconv path']})")

    def ref():
        import scipy.signal as ss

        k64 = k.astype(np.float64)
        # The FFT shortcut must equal scipy.signal.correlate2d(same, symm): check on a small image.
        small = np.random.default_rng(K).random((K + 37, K + 29))
        want = ss.correlate2d(small, k64, mode="same", boundary="symm")
        if not np.allclose(fft_same_symm(small, k64), want, rtol=0, atol=1e-12):
            raise AssertionError(f"script bug: FFT reference != scipy.signal.correlate2d (K={K})")
        return {"full": fft_same_symm(x.astype(np.float64), k64), "sep": separable_ref(x, kc, kr)}

    tols = {"full": tolerance(x.dtype, K * K, 1.0, 1.0), "sep": tolerance(x.dtype, 2 * K, 1.0, 1.0)}
    return impls, ref, tols, info


BUILDERS = {"sep": build_sep, "2d": build_2d, "conv2d": build_conv, "kxk": build_kxk}
