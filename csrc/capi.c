/* The table of the C API (axisconv.h: ax_api), for extensions that call axisconv without
 * linking to it. */
#include "axisconv.h"

static const ax_api table = {
    .version = AX_API_VERSION,
    .size = (int)sizeof(ax_api),
    .correlate1d = ax_correlate1d,
    .correlate_separable = ax_correlate_separable,
    .correlate2d = ax_correlate2d,
    .bank = ax_bank,
    .conv1d = ax_conv1d,
    .get_num_threads = ax_get_num_threads,
    .set_num_threads = ax_set_num_threads,
    .simd_active = ax_simd_active,
    .simd_name = ax_simd_name,
    .correlate1d_int = ax_correlate1d_int,
    .correlate_separable_int = ax_correlate_separable_int,
    .correlate2d_int = ax_correlate2d_int,
    .simd_supported = ax_simd_supported,
    .simd_select = ax_simd_select,
    .simd_best = ax_simd_best,
    .threaded = ax_threaded,
};

const ax_api *ax_api_table(void) { return &table; }
