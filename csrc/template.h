/* How the templates make their names.
 *
 * A template is an .inc file written once for an element type T and included by
 * per_dtype.h once per type, with SFX the type's suffix:
 *     float  -> _f32        double -> _f64
 * Inside it, F(name) is AX_CAT(name, SFX): F(correlate1d) defines correlate1d_f32 and
 * correlate1d_f64, so grepping the stem finds the definition.  Kernel templates are also
 * compiled once per instruction set (kernels.c, with AX_ISA = baseline, avx2 or avx512; on
 * aarch64 the baseline is NEON) and their table is AX_CAT(ax_kernels, AX_ISA), e.g.
 * ax_kernels_avx512. */
#ifndef AX_TEMPLATE_H
#define AX_TEMPLATE_H
#define AX_CAT_(a, b) a##_##b
#define AX_CAT(a, b) AX_CAT_(a, b)
#define AX_STR_(x) #x
#define AX_STR(x) AX_STR_(x)
#endif
