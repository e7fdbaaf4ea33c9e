/* Instantiates the template named by AX_TEMPLATE for float (suffix f32) and double (f64).
 * Included once per template, so it has no include guard. */
#define T float
#define SFX f32
#include AX_TEMPLATE
#undef T
#undef SFX

#define T double
#define SFX f64
#include AX_TEMPLATE
#undef T
#undef SFX

#undef AX_TEMPLATE
