/* Token pasting for the dtype/ISA templates (*.inc files included once per type). */
#ifndef AX_TEMPLATE_H
#define AX_TEMPLATE_H
#define AX_CAT_(a, b) a##_##b
#define AX_CAT(a, b) AX_CAT_(a, b)
#endif
