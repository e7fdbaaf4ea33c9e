"""The libraries the benchmarks compare, imported once, each optional, on THREADS threads."""

from __future__ import annotations

import importlib
import os
import platform
import sys

import numpy as np

from _benchutil import run_text

THREADS = 2


class Libs:
    """Imports every wanted library once; each attribute is the module or None (then
    self.errors says why)."""

    def __init__(self, wanted: set[str]):
        self.errors: dict[str, str] = {}
        self.scipy_ndimage = self._imp("scipy", "scipy.ndimage", wanted)
        self.scipy_signal = self._imp("scipy", "scipy.signal", wanted)
        self.axisconv = self._imp("axisconv", "axisconv", wanted)
        self.cv2 = self._imp("cv2", "cv2", wanted)
        self.torch = self._imp("torch", "torch", wanted)
        if self.axisconv is not None and not hasattr(self.axisconv, "correlate1d"):
            self.errors["axisconv"] = "module imports but has no correlate1d"
            self.axisconv = None
        if self.axisconv is not None:
            self.axisconv.set_num_threads(THREADS)
        if self.cv2 is not None:
            self.cv2.setNumThreads(THREADS)
        if self.torch is not None:
            self.torch.set_num_threads(THREADS)
            import torch.nn.functional as F

            self.F = F

    def _imp(self, key, modname, wanted):
        if key not in wanted:
            self.errors[key] = "not selected (--libs)"
            return None
        try:
            return importlib.import_module(modname)
        except Exception as e:  # ImportError, or a broken build raising something else
            self.errors[key] = f"not importable: {type(e).__name__}: {e}"
            return None

    def require(self, names) -> None:
        """Drops axisconv (with the reason) when it lacks one of the functions `names`."""
        if self.axisconv is not None:
            missing = [n for n in names if not hasattr(self.axisconv, n)]
            if missing:
                self.errors["axisconv"] = f"module imports but has no {', '.join(missing)}"
                self.axisconv = None

    def available(self, keys) -> list[str]:
        attr = {"scipy": "scipy_ndimage"}
        return [k for k in keys if getattr(self, attr.get(k, k), None) is not None]

    def versions(self) -> list[str]:
        v = [f"python {platform.python_version()} ({sys.executable})", f"numpy {np.__version__}"]
        import scipy

        v.append(f"scipy {scipy.__version__}" if self.scipy_ndimage
                 else f"scipy: {self.errors.get('scipy')}")
        if self.axisconv is not None:
            ac = self.axisconv
            v.append(f"axisconv {getattr(ac, '__version__', '?')} "
                     f"({os.path.dirname(getattr(ac, '__file__', '?') or '?')})")
        else:
            v.append(f"axisconv: {self.errors.get('axisconv')} -> skipped")
        if self.cv2 is not None:
            v.append(f"opencv {self.cv2.__version__} "
                     f"(cv2.getNumThreads() = {self.cv2.getNumThreads()})")
        else:
            v.append(f"opencv: {self.errors.get('cv2')} -> skipped")
        if self.torch is not None:
            t = self.torch
            cap = "?"
            try:
                cap = t.backends.cpu.get_cpu_capability()
            except Exception:
                pass
            v.append(f"torch {t.__version__} (threads = {t.get_num_threads()}, "
                     f"CPU capability {cap})")
        elif self.errors.get("torch") != "not selected (--libs)":
            v.append(f"torch: {self.errors.get('torch')} -> skipped")
        try:
            import matplotlib

            v.append(f"matplotlib {matplotlib.__version__}")
        except Exception:
            v.append("matplotlib: not importable (no plot)")
        return v

    def axisconv_config(self) -> str:
        """show_config() output (captured in a subprocess so C-level printf is caught too)."""
        if self.axisconv is None:
            return "axisconv not importable: no SIMD path to report"
        lines = []
        simd = getattr(self.axisconv, "_simd_path", None)
        if callable(simd):
            try:
                lines.append(f"axisconv._simd_path() = {simd()!r}")
            except Exception as e:
                lines.append(f"axisconv._simd_path() raised {type(e).__name__}: {e}")
        if hasattr(self.axisconv, "show_config"):
            code = ("import axisconv, sys\n"
                    "r = axisconv.show_config()\n"
                    "sys.stdout.flush()\n"
                    "print(r) if r is not None else None\n")
            out = run_text([sys.executable, "-c", code], timeout=60)
            lines.append("axisconv.show_config():\n" + (out or "(printed nothing)"))
        else:
            lines.append("axisconv has no show_config()")
        return "\n".join(lines)
