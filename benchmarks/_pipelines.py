"""The per-frame pipelines of bench_pipeline.py, written once against a few operations that each
library provides (an `Ops` class per library): a Gaussian blur, a Sobel derivative and
elementwise arithmetic, all writing preallocated buffers that are reused from frame to frame.

Every library gets the same kernels and the same border, reflect-101 (d c b | a b c d:
scipy.ndimage 'mirror', OpenCV's default BORDER_REFLECT_101, axisconv 'mirror'):

* Gaussian: exp(-t²/2σ²) for t = -r..r, normalised -- the kernel of scipy.ndimage.gaussian_filter
  with `radius=r` and of cv2.getGaussianKernel(2r+1, σ);
* Sobel: [-1, 0, 1] along the derivative's axis, [1, 2, 1] along the other (scipy.ndimage.sobel,
  cv2.Sobel with ksize=3: same signs).

axisconv and scipy have no arithmetic of their own: their elementwise stages are the same NumPy
calls with out=; OpenCV's are cv2.multiply / add / subtract / magnitude with dst=.
"""

from __future__ import annotations

import time
from types import SimpleNamespace

import numpy as np


class Gauss:
    def __init__(self, sigma: float, radius: int):
        self.sigma, self.radius = sigma, radius

    def taps(self) -> np.ndarray:
        t = np.arange(-self.radius, self.radius + 1, dtype=np.float64)
        w = np.exp(-0.5 * (t / self.sigma) ** 2)
        return w / w.sum()

    def __str__(self):
        return f"Gaussian sigma {self.sigma:g}, {2 * self.radius + 1} taps"


BLUR = Gauss(1.0, 2)  # Harris pre-smoothing
WINDOW = Gauss(2.0, 6)  # Harris window, 3 sigma
CANNY_BLUR = Gauss(1.4, 2)  # the classic 5x5 Canny smoothing
HARRIS_K = 0.04
SOBEL_SMOOTH, SOBEL_DERIV = (1.0, 2.0, 1.0), (-1.0, 0.0, 1.0)


# ----------------------------------------------------------------------------- the libraries


class NumpyArith:
    """Elementwise stages in NumPy, out= (one pass over the arrays per call)."""

    def mul(self, a, b, dst, scale=1.0):
        np.multiply(a, b, out=dst)
        if scale != 1.0:
            np.multiply(dst, scale, out=dst)

    def add(self, a, b, dst):
        np.add(a, b, out=dst)

    def sub(self, a, b, dst):
        np.subtract(a, b, out=dst)

    def magnitude(self, gx, gy, dst, tmp):
        np.multiply(gx, gx, out=dst)
        np.multiply(gy, gy, out=tmp)
        np.add(dst, tmp, out=dst)
        np.sqrt(dst, out=dst)


class AxisconvOps(NumpyArith):
    """correlate_separable with one kernel per axis, mode 'mirror', out=."""

    def __init__(self, ac, dtype):
        self.ac, self.dtype = ac, dtype
        self.smooth, self.deriv = (np.asarray(k, dtype) for k in (SOBEL_SMOOTH, SOBEL_DERIV))
        self.taps = {g: g.taps().astype(dtype) for g in (BLUR, WINDOW, CANNY_BLUR)}

    def gauss(self, src, g, dst):
        self.ac.correlate_separable(src, self.taps[g], mode="mirror", out=dst)

    def sobel(self, src, axis, dst):
        # kernels for axes (-2, -1): the derivative along `axis`, the smoothing along the other
        ks = [self.smooth, self.deriv] if axis == -1 else [self.deriv, self.smooth]
        self.ac.correlate_separable(src, ks, axes=(-2, -1), mode="mirror", out=dst)


class ScipyOps(NumpyArith):
    """scipy.ndimage.gaussian_filter (radius=) and sobel, mode 'mirror', output=."""

    def __init__(self, ndi):
        self.ndi = ndi

    def gauss(self, src, g, dst):
        self.ndi.gaussian_filter(src, g.sigma, mode="mirror", radius=g.radius, output=dst)

    def sobel(self, src, axis, dst):
        self.ndi.sobel(src, axis=axis, mode="mirror", output=dst)


class CopyOps(NumpyArith):
    """The yardstick, not a library: every filter replaced by a 2-thread copy of its input into
    its output (np.copyto of one half on the calling thread, of the other on an executor's
    thread), the least a filter that reads its input and writes its output once can cost;
    elementwise stages as axisconv's."""

    def __init__(self, executor):
        self.executor = executor

    def copy(self, src, dst):
        h = src.shape[0] // 2
        other = self.executor.submit(np.copyto, dst[h:], src[h:])
        np.copyto(dst[:h], src[:h])
        other.result()

    def gauss(self, src, g, dst):
        self.copy(src, dst)

    def sobel(self, src, axis, dst):
        self.copy(src, dst)


class Cv2Ops:
    """cv2.GaussianBlur, cv2.Sobel (ksize 3), BORDER_REFLECT_101, and OpenCV's arithmetic, dst=."""

    def __init__(self, cv2):
        self.cv2, self.border = cv2, cv2.BORDER_REFLECT_101

    def gauss(self, src, g, dst):
        k = 2 * g.radius + 1
        self.cv2.GaussianBlur(src, (k, k), g.sigma, dst=dst, sigmaY=g.sigma, borderType=self.border)

    def sobel(self, src, axis, dst):
        dx, dy = (1, 0) if axis == -1 else (0, 1)
        self.cv2.Sobel(src, -1, dx, dy, dst=dst, ksize=3, borderType=self.border)

    def mul(self, a, b, dst, scale=1.0):
        self.cv2.multiply(a, b, dst=dst, scale=scale)

    def add(self, a, b, dst):
        self.cv2.add(a, b, dst=dst)

    def sub(self, a, b, dst):
        self.cv2.subtract(a, b, dst=dst)

    def magnitude(self, gx, gy, dst, tmp):
        self.cv2.magnitude(gx, gy, magnitude=dst)


# ----------------------------------------------------------------------------- the pipelines


def blur_sobel(ops, b, g: Gauss):
    """The stages both pipelines open with: the frame blurred (Gaussian g) into b.blur, then its
    Sobel derivatives along x and y into b.gx and b.gy."""

    def blur(frame):
        ops.gauss(frame, g, b.blur)

    def sobel(frame):
        ops.sobel(b.blur, -1, b.gx)
        ops.sobel(b.blur, -2, b.gy)

    return [("blur", blur), ("sobel", sobel)]


def harris(ops, b):
    """Harris corner response: blur -> Sobel x, y -> Ix², Iy², IxIy -> three Gaussian windows ->
    R = det - k trace² of the windowed structure tensor."""

    def products(frame):
        ops.mul(b.gx, b.gx, b.ixx)
        ops.mul(b.gy, b.gy, b.iyy)
        ops.mul(b.gx, b.gy, b.ixy)

    def windows(frame):
        for src, dst in ((b.ixx, b.sxx), (b.iyy, b.syy), (b.ixy, b.sxy)):
            ops.gauss(src, WINDOW, dst)

    def response(frame):
        ops.mul(b.sxx, b.syy, b.response)
        ops.mul(b.sxy, b.sxy, b.tmp)
        ops.sub(b.response, b.tmp, b.response)
        ops.add(b.sxx, b.syy, b.tmp)
        ops.mul(b.tmp, b.tmp, b.tmp, scale=HARRIS_K)
        ops.sub(b.response, b.tmp, b.response)

    return blur_sobel(ops, b, BLUR) + [("products", products), ("windows", windows),
                                      ("response", response)]


def gradient(ops, b):
    """Canny-style gradient magnitude: blur -> Sobel x, y -> sqrt(gx² + gy²)."""

    def magnitude(frame):
        ops.magnitude(b.gx, b.gy, b.magnitude, b.tmp)

    return blur_sobel(ops, b, CANNY_BLUR) + [("magnitude", magnitude)]


class Spec:
    """A pipeline: build(ops, buffers) -> its stages; the buffers it needs; which of its stages
    are filters (the rest is elementwise arithmetic); a one-line description."""

    def __init__(self, build, buffers, filter_stages, about):
        self.build, self.buffers, self.about = build, buffers, about
        self.filter_stages = filter_stages


PIPELINES = {
    "harris": Spec(harris, ("blur", "gx", "gy", "ixx", "iyy", "ixy", "sxx", "syy", "sxy",
                            "response", "tmp"), ("blur", "sobel", "windows"),
                   f"Harris corner response: blur ({BLUR}) -> Sobel x and y -> Ix², Iy², IxIy -> "
                   f"three windows ({WINDOW}) -> R = det - {HARRIS_K} trace²"),
    "gradient": Spec(gradient, ("blur", "gx", "gy", "magnitude", "tmp"), ("blur", "sobel"),
                     f"Canny-style gradient magnitude: blur ({CANNY_BLUR}) -> Sobel x and y -> "
                     "sqrt(gx² + gy²) (no direction)"),
}


class Pipeline:
    """One library's run of a pipeline: its stages, in order, on preallocated buffers (b)."""

    def __init__(self, spec: Spec, ops, shape, dtype):
        self.b = SimpleNamespace(**{n: np.empty(shape, dtype) for n in spec.buffers})
        self.stages = spec.build(ops, self.b)
        self.names = [name for name, _ in self.stages]

    def run(self, frame) -> list[int]:
        """Runs every stage on frame; returns each stage's time in ns."""
        ns = []
        t = time.perf_counter_ns()
        for _, stage in self.stages:
            stage(frame)
            t1 = time.perf_counter_ns()
            ns.append(t1 - t)
            t = t1
        return ns


def make_ops(lib: str, mod, dtype):
    """lib's Ops; for "copy", mod is the executor that copies."""
    return {"axisconv": lambda: AxisconvOps(mod, dtype), "cv2": lambda: Cv2Ops(mod),
            "scipy": lambda: ScipyOps(mod), "copy": lambda: CopyOps(mod)}[lib]()


# ----------------------------------------------------------------------------- the check


TOL = 2.0**-16  # max |err| / scale: float32 rounding is ~100x smaller, a wrong border or kernel
# makes O(1e-2) or more


def scales(ref) -> dict:
    """Per buffer, the size its error is measured against: max |ref|, and for the Harris response
    the largest of its terms (sxx syy + sxy² + k trace², whose difference R cancels)."""
    out = {n: float(np.max(np.abs(v))) for n, v in vars(ref).items() if n != "tmp"}
    if "response" in out:
        terms = ref.sxx * ref.syy + ref.sxy**2 + HARRIS_K * (ref.sxx + ref.syy) ** 2
        out["response"] = float(np.max(terms))
    return out


def check(pipe: Pipeline, ref: Pipeline, scale: dict) -> dict:
    """{buffer: max |pipe - ref| / scale} for every buffer the stages write (tmp excluded)."""
    return {n: float(np.max(np.abs(getattr(pipe.b, n).astype(np.float64) - getattr(ref.b, n))))
            / (scale[n] or 1.0) for n in scale}
