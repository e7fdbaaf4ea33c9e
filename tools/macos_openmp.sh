#!/usr/bin/env bash
# cibuildwheel's before-all on macOS: the LLVM OpenMP runtime (conda-forge's llvm-openmp,
# built for old macOS versions, so the wheel's MACOSX_DEPLOYMENT_TARGET holds), one prefix
# per architecture under ~/llvm-openmp.  CMake's FindOpenMP finds it through OpenMP_ROOT
# (pyproject.toml, [[tool.cibuildwheel.overrides]]); delocate then copies libomp.dylib
# into the wheel (LICENSES_bundled.txt).
set -euo pipefail
conda="${CONDA:+$CONDA/bin/}conda"
for subdir in osx-64 osx-arm64; do
    CONDA_SUBDIR="$subdir" "$conda" create --yes --prefix "$HOME/llvm-openmp/$subdir" \
        --override-channels --channel conda-forge llvm-openmp
done
