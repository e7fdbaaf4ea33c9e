/* Every kernel of one instruction set, for float32 and float64, and their table (kernels.h).
 * CMake compiles this file once per instruction set, defining AX_ISA (baseline, avx2,
 * avx512) with the matching -m flags. */
#include <stddef.h>
#include <stdint.h>
#include <string.h>

#include "kernels.h"
#include "simd.h"

/* Layer register tiles: MIX_MR positions x MIX_NV vectors of accumulators, plus the vectors
 * of taps and one broadcast, must fit the register file (32 zmm with AVX-512, else 16). */
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

#define AX_TEMPLATE "kernels.inc"
#include "per_dtype.h"

/* The integer kernels: portable ones for every pair of input and sum type (per_itype.h). */
#define AX_SUM_INPUTS
#define AX_TEMPLATE "int_kernels.inc"
#include "per_itype.h"
#undef AX_SUM_INPUTS

#if defined(__aarch64__)
#define AX_ISA_NAME "neon" /* the baseline of aarch64 is NEON */
#else
#define AX_ISA_NAME AX_STR(AX_ISA)
#endif

const ax_kernels AX_CAT(ax_kernels, AX_ISA) = {
    .name = AX_ISA_NAME,
    .vector_bytes = AX_VBYTES,
    .block_bytes = AX_VBYTES * AX_NBLOCK,
    .mix_nv = MIX_NV,
    .dw_nv = DW_NV,
    .mix_mr = MIX_MR,
    .row_f32 = row_f32,
    .row_f64 = row_f64,
    .col_f32 = col_f32,
    .col_f64 = col_f64,
    .row2d_f32 = row2d_f32,
    .row2d_f64 = row2d_f64,
    .mix_f32 = mix_f32,
    .mix_f64 = mix_f64,
    .mixr_f32 = mixr_f32,
    .mixr_f64 = mixr_f64,
    .dw_f32 = dw_f32,
    .dw_f64 = dw_f64,
    .dwp_f32 = dwp_f32,
    .dwp_f64 = dwp_f64,
    .irow = {{[AX_U8] = irow_u8_32, [AX_U16] = irow_u16_32, [AX_S16] = irow_s16_32,
              [AX_S32] = irow_s32_32},
             {[AX_U8] = irow_u8_64, [AX_U16] = irow_u16_64, [AX_S16] = irow_s16_64,
              [AX_S64] = irow_s64_64}},
    .icol = {{[AX_U8] = icol_u8_32, [AX_U16] = icol_u16_32, [AX_S16] = icol_s16_32,
              [AX_S32] = icol_s32_32},
             {[AX_U8] = icol_u8_64, [AX_U16] = icol_u16_64, [AX_S16] = icol_s16_64,
              [AX_S64] = icol_s64_64}},
    .irow2d = {{[AX_U8] = irow2d_u8_32, [AX_U16] = irow2d_u16_32, [AX_S16] = irow2d_s16_32,
                [AX_S32] = irow2d_s32_32},
               {[AX_U8] = irow2d_u8_64, [AX_U16] = irow2d_u16_64, [AX_S16] = irow2d_s16_64,
                [AX_S64] = irow2d_s64_64}},
#if defined(__AVX2__)
    .isep = {[AX_U8] = isep_u8_32, [AX_U16] = isep_u16_32, [AX_S16] = isep_s16_32},
#endif
};
