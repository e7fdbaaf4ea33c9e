/* Instantiates the line kernels for float32 and float64 with this build's vector width.
 * CMake compiles this file once per instruction set, defining AX_ISA (baseline, avx2,
 * avx512) and the matching -m flags. */
#include "line_kernels.h"
#include "simd.h"

#define T float
#define SFX f32
#define MADD AX_MADDF
#include "line_kernels.inc"
#undef T
#undef SFX
#undef MADD

#define T double
#define SFX f64
#define MADD AX_MADD
#include "line_kernels.inc"
#undef T
#undef SFX
#undef MADD

#define AX_STR_(x) #x
#define AX_STR(x) AX_STR_(x)

const ax_line_kernels AX_CAT(ax_line_kernels, AX_ISA) = {
    AX_STR(AX_ISA), AX_VBYTES * AX_NBLOCK, AX_VBYTES, row_f32, row_f64, col_f32, col_f64, row2d_f32, row2d_f64,
};
