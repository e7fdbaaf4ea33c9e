/* Instantiates the layer kernels for float32 and float64 with this build's vector width.
 * CMake compiles this file once per instruction set, next to line_kernels.c, defining AX_ISA
 * (baseline, avx2, avx512) and the matching -m flags. */
#include <stddef.h>
#include <stdint.h>
#include <string.h>

#include "layer_kernels.h"
#include "simd.h"

/* Register tiles: MIX_MR positions x MIX_NV vectors of accumulators, plus the vectors of
 * taps and one broadcast, must fit the register file (32 zmm with AVX-512, else 16). */
#if AX_VBYTES == 64
#define MIX_MR 12
#define DW_MR 4
#else
#define MIX_MR 6
#define DW_MR 2
#endif
#define MIX_NV 2
#define DW_NV 4
#define DWP_NB 8

#define AX_TEMPLATE "layer_kernels.inc"
#include "per_dtype.h"

#define AX_STR_(x) #x
#define AX_STR(x) AX_STR_(x)

const ax_layer_kernels AX_CAT(ax_layer_kernels, AX_ISA) = {
    AX_STR(AX_ISA), AX_VBYTES, MIX_NV, DW_NV, MIX_MR, mix_f32, mix_f64, mixr_f32, mixr_f64,
    dw_f32, dw_f64, dwp_f32, dwp_f64,
};
