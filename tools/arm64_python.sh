#!/usr/bin/env bash
# The Python test suite on aarch64, under qemu-user: Debian's arm64 Python 3.11, NumPy, SciPy,
# pytest and hypothesis unpacked into a private root (nothing is installed: python3:arm64
# cannot sit beside the machine's amd64 python3, apt would remove that one), the C core
# cross-compiled by CMake (tools/aarch64-linux-gnu.cmake), the Cython modules transpiled by
# the host's Cython and compiled by the cross compiler.  The package lists are fetched into
# WORKDIR with the machine's apt sources; its apt state is left alone.
#   tools/arm64_python.sh WORKDIR [pytest arguments]    (default: tests, the whole suite)
# Exit status: pytest's; 77 when a tool or a package is missing (nothing was tested).
set -euo pipefail
cd "$(dirname "$0")/.."
work=$(mkdir -p "${1:?usage: tools/arm64_python.sh WORKDIR [pytest arguments]}" && cd "$1" && pwd)
shift
root=$work/root
stage=$work/stage

for tool in aarch64-linux-gnu-gcc qemu-aarch64 cython apt-get dpkg-deb cmake; do
    command -v "$tool" >/dev/null || { echo "arm64_python: $tool not found"; exit 77; }
done

# Debian's arm64 packages, with a private apt state.
apt_dir=$work/apt
mkdir -p "$apt_dir/lists/partial" "$apt_dir/archives/partial" "$work/debs" "$root"
touch "$apt_dir/status"
apt_opts=(-q -o APT::Architecture=arm64 -o APT::Architectures::=arm64
          -o Dir::State::Lists="$apt_dir/lists" -o Dir::State::status="$apt_dir/status"
          -o Dir::Cache="$apt_dir" -o APT::Sandbox::User=root)
packages=(
    python3.11 python3.11-minimal libpython3.11-minimal libpython3.11-stdlib libpython3.11-dev
    python3-numpy python3-scipy liblbfgsb0 libblas3 liblapack3 libgfortran5 libgomp1
    libstdc++6 libgcc-s1 libc6 libbz2-1.0 libcrypt1 libdb5.3 libexpat1 libffi8 liblzma5
    libncursesw6 libtinfo6 libreadline8 libnsl2 libtirpc3 libgssapi-krb5-2 libkrb5-3
    libk5crypto3 libkrb5support0 libkeyutils1 libcom-err2 libsqlite3-0 libssl3 libuuid1
    zlib1g libzstd1 libmd0 libgdbm6
    python3-pytest python3-hypothesis python3-pluggy python3-iniconfig python3-packaging
    python3-attr python3-sortedcontainers python3-exceptiongroup python3-decorator
)
if [ ! -x "$root/usr/bin/python3.11" ]; then
    apt-get "${apt_opts[@]}" update >/dev/null
    (cd "$work/debs" && apt-get "${apt_opts[@]}" download "${packages[@]}" >/dev/null) \
        || { echo "arm64_python: Debian's arm64 packages could not be fetched"; exit 77; }
    for deb in "$work"/debs/*.deb; do dpkg-deb -x "$deb" "$root"; done
    # The reference BLAS and LAPACK, where Debian's alternatives would point.
    ln -sf blas/libblas.so.3 "$root/usr/lib/aarch64-linux-gnu/libblas.so.3"
    ln -sf lapack/liblapack.so.3 "$root/usr/lib/aarch64-linux-gnu/liblapack.so.3"
fi
# An interpreter command that is its own sys.executable (qemu's -0 sets argv[0]), so the
# Python processes the tests start run under qemu too.
export QEMU_LD_PREFIX=$root
printf '#!/bin/sh\nexec qemu-aarch64 -0 "$0" "%s" "$@"\n' "$root/usr/bin/python3.11" >"$work/python"
chmod +x "$work/python"
python=("$work/python")
"${python[@]}" -c "import platform, sys, numpy, scipy; print('arm64_python:', platform.machine(), 'Python', sys.version.split()[0], 'NumPy', numpy.__version__, 'SciPy', scipy.__version__)"

# The C core for aarch64, then the extension modules against the arm64 headers.
cmake -S . -B "$work/build" -DCMAKE_TOOLCHAIN_FILE=tools/aarch64-linux-gnu.cmake \
    -DAXISCONV_PYTHON=OFF -DCMAKE_BUILD_TYPE=Release >/dev/null
cmake --build "$work/build" -j2 --target axcore >/dev/null
rm -rf "$stage" && mkdir -p "$stage/axisconv" "$work/gen"
numpy_include=$("${python[@]}" -c "import numpy; print(numpy.get_include())")
cflags=(-O2 -fPIC -shared -I"$root/usr/include/python3.11" -I"$root/usr/include")
suffix=$("${python[@]}" -c "import sysconfig; print(sysconfig.get_config_var('EXT_SUFFIX'))")
# cimport numpy: the arm64 NumPy's declarations, not the host's
cython -3 --module-name axisconv._core -I "$root/usr/lib/python3/dist-packages" -I csrc src/axisconv/_core.pyx -o "$work/gen/_core.c"
aarch64-linux-gnu-gcc "${cflags[@]}" -DNPY_NO_DEPRECATED_API=NPY_1_7_API_VERSION \
    -I"$root$numpy_include" -Icsrc "$work/gen/_core.c" \
    "$work/build/libaxcore.a" -lpthread -lm -o "$stage/axisconv/_core$suffix"
compiled=$(sed -n 's/^set(AX_COMPILED_MODULES \(.*\))$/\1/p' CMakeLists.txt) # the one list
for module in $compiled; do
    cython -3 --module-name "axisconv.$module" "src/axisconv/$module.py" -o "$work/gen/$module.c"
    aarch64-linux-gnu-gcc "${cflags[@]}" "$work/gen/$module.c" -o "$stage/axisconv/$module$suffix"
done
# Every other module, subpackages (ndimage, dask) included.
(cd src/axisconv && find . -name '*.py') | while read -r file; do
    name=${file#./}
    [[ " $compiled " == *" ${name%.py} "* ]] || install -D -m 644 "src/axisconv/$name" "$stage/axisconv/$name"
done

PYTHONPATH=$stage "${python[@]}" -c "import axisconv; print(axisconv.__file__); axisconv.show_config()"
PYTHONPATH=$stage "${python[@]}" -m pytest -q -p no:cacheprovider "${@:-tests}"
