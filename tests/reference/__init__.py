"""Slow, obviously correct NumPy versions of axisconv's public functions, written from
docs/contract.md only (the pattern of bottleneck's `slow` package).

One module per public module, each name the public one:

    reference.filters     correlate1d, convolve1d
    reference.separable   correlate_separable, convolve_separable
    reference.conv2d      correlate2d, convolve2d, check_separate (separate's properties)
    reference.on1d        single_row, replicated, lag_matrix, lagged, filter_bank
    reference.layer       conv1d
    reference.modes       the boundary modes and every spelling of them, for all of them
    reference.integer     the integer arithmetic of uint8/uint16/int16 results (exact sums)

Everything is computed in float64 / complex128 from the caller's values; tests/_axc_testing.py
says how close axisconv must come.
"""
