/* Instantiates the template named by AX_TEMPLATE for float (suffix f32) and double (f64):
 * T is the element type, SFX its suffix, F(name) the name with the suffix (template.h), MADD
 * the scalar multiply-add that rounds like this instruction set's vectors (simd.h; kernel
 * templates only).  Included once per template, so it has no include guard. */
#define F(name) AX_CAT(name, SFX)

#define T float
#define SFX f32
#define MADD AX_MADDF
#include AX_TEMPLATE
#undef T
#undef SFX
#undef MADD

#define T double
#define SFX f64
#define MADD AX_MADD
#include AX_TEMPLATE
#undef T
#undef SFX
#undef MADD

#undef F
#undef AX_TEMPLATE
