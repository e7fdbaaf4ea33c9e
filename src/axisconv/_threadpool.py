"""axisconv in threadpoolctl: threadpool_info() lists it, threadpool_limits() limits it.

Imported only where threadpoolctl is installed.  The controller talks to the C core's
ax_get_num_threads / ax_set_num_threads through ctypes, as threadpoolctl does with every
library it controls.
"""
import threadpoolctl


class AxisconvController(threadpoolctl.LibController):
    user_api = "openmp"
    internal_api = "axisconv"
    filename_prefixes = ("_core",)
    check_symbols = ("ax_get_num_threads", "ax_set_num_threads")

    def get_num_threads(self):
        return self.dynlib.ax_get_num_threads()

    def set_num_threads(self, num_threads):
        return self.dynlib.ax_set_num_threads(num_threads)

    def get_version(self):
        from . import __version__
        return __version__


def register():
    threadpoolctl.register(AxisconvController)
