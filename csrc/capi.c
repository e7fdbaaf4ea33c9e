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
};

const ax_api *ax_api_table(void) { return &table; }
