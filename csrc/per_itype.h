/* Instantiates the integer template named by AX_TEMPLATE for each pair of an input element
 * type TI and a sum type TA (unsigned twin UA):
 *     u8_32, u16_32, s16_32   narrow sums (32 bits) of images
 *     u8_64, u16_64, s16_64   wide sums (64 bits) of images
 * and, when AX_SUM_INPUTS is defined, s32_32 and s64_64 (sums read back by the second pass
 * of a separable filter).  ITI and ITA are the ax_itype of TI and TA, WIDE is 1 for 64-bit
 * sums, SUMS_IN 1 when TI is a sum type; SFX the pair's suffix and F(name) the name with it
 * (template.h).  Included once
 * per template, so it has no include guard. */
#define F(name) AX_CAT(name, SFX)
#define SUMS_IN 0

#define TA int32_t
#define UA uint32_t
#define ITA AX_S32
#define WIDE 0

#define TI uint8_t
#define ITI AX_U8
#define SFX u8_32
#include AX_TEMPLATE
#undef TI
#undef ITI
#undef SFX

#define TI uint16_t
#define ITI AX_U16
#define SFX u16_32
#include AX_TEMPLATE
#undef TI
#undef ITI
#undef SFX

#define TI int16_t
#define ITI AX_S16
#define SFX s16_32
#include AX_TEMPLATE
#undef TI
#undef ITI
#undef SFX

#ifdef AX_SUM_INPUTS
#undef SUMS_IN
#define SUMS_IN 1
#define TI int32_t
#define ITI AX_S32
#define SFX s32_32
#include AX_TEMPLATE
#undef TI
#undef ITI
#undef SFX
#undef SUMS_IN
#define SUMS_IN 0
#endif

#undef TA
#undef UA
#undef ITA
#undef WIDE

#define TA int64_t
#define UA uint64_t
#define ITA AX_S64
#define WIDE 1

#define TI uint8_t
#define ITI AX_U8
#define SFX u8_64
#include AX_TEMPLATE
#undef TI
#undef ITI
#undef SFX

#define TI uint16_t
#define ITI AX_U16
#define SFX u16_64
#include AX_TEMPLATE
#undef TI
#undef ITI
#undef SFX

#define TI int16_t
#define ITI AX_S16
#define SFX s16_64
#include AX_TEMPLATE
#undef TI
#undef ITI
#undef SFX

#ifdef AX_SUM_INPUTS
#undef SUMS_IN
#define SUMS_IN 1
#define TI int64_t
#define ITI AX_S64
#define SFX s64_64
#include AX_TEMPLATE
#undef TI
#undef ITI
#undef SFX
#endif

#undef TA
#undef UA
#undef ITA
#undef WIDE

#undef SUMS_IN
#undef F
#undef AX_TEMPLATE
