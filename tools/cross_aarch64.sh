#!/usr/bin/env bash
# aarch64, proven under emulation: cross-compiles the C core with Debian's aarch64 gcc
# (tools/aarch64-linux-gnu.cmake), checks that the baseline kernels became NEON vector code,
# and runs the C API test (tests/c/test_capi.c) under qemu-aarch64 through ctest.  Then
# builds once more with CMAKE_SYSTEM_PROCESSOR contradicting the compiler, which must follow
# the compiler (cmake/target_isa.cmake) and link: no undefined kernel table.
# Exit status: 0 passed, 1 failed, 77 the cross tools are missing (nothing was tested).
set -euo pipefail
cd "$(dirname "$0")/.."

for tool in aarch64-linux-gnu-gcc aarch64-linux-gnu-objdump qemu-aarch64 cmake ctest; do
    command -v "$tool" >/dev/null || { echo "cross_aarch64: $tool not found"; exit 77; }
done
build="${1:-build/aarch64}"
options=(-DAXISCONV_PYTHON=OFF -DAXISCONV_C_TESTS=ON -DCMAKE_BUILD_TYPE=Release)

rm -rf "$build"
cmake -S . -B "$build" -DCMAKE_TOOLCHAIN_FILE=tools/aarch64-linux-gnu.cmake "${options[@]}" \
    | grep axisconv
cmake --build "$build" -j2 >/dev/null

# vector_size(16) generic vectors: NEON fused multiply-adds on 4 floats or 2 doubles.
fmla=$(aarch64-linux-gnu-objdump -d "$build/CMakeFiles/kernels_baseline.dir/csrc/kernels.c.o" \
       | grep -cE 'fmla[[:space:]]+v[0-9]+\.(4s|2d)' || true)
echo "cross_aarch64: the baseline kernels hold $fmla NEON fmla instructions (v.4s, v.2d)"
[ "$fmla" -gt 0 ] || { echo "cross_aarch64: the baseline kernels are not NEON code"; exit 1; }

(cd "$build" && ctest --output-on-failure --no-tests=error)  # test_capi under qemu-aarch64 -L /usr/aarch64-linux-gnu

# CMAKE_SYSTEM_PROCESSOR says x86_64, the compiler targets aarch64: configure warns, follows
# the compiler, and test_capi links (an undefined ax_kernels_avx2 would fail here).
rm -rf "$build-mismatch"
cmake -S . -B "$build-mismatch" -DCMAKE_SYSTEM_NAME=Linux -DCMAKE_SYSTEM_PROCESSOR=x86_64 \
    -DCMAKE_C_COMPILER=aarch64-linux-gnu-gcc "${options[@]}" >"$build-mismatch.log" 2>&1
tr -s ' \n' ' ' <"$build-mismatch.log" | grep -o 'axisconv: CMAKE_SYSTEM_PROCESSOR[^;]*; following the compiler' \
    || { cat "$build-mismatch.log"; echo "cross_aarch64: the disagreement went unnoticed"; exit 1; }
cmake --build "$build-mismatch" -j2 --target test_capi >/dev/null
qemu-aarch64 -L /usr/aarch64-linux-gnu "$build-mismatch/test_capi" | tail -1
echo "cross_aarch64: passed"
