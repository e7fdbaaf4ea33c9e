/* ax_bank (axisconv.h), the C side of src/axisconv/on1d.py: several 1-D correlations of one
 * signal in one pass over it.  Checks the call, then runs bank.inc (kernel: row,
 * line_kernels.inc). */
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "axisconv.h"
#include "boundary.h"
#include "cache.h"
#include "geometry.h"
#include "kernels.h"
#include "parallel.h"
#include "taps.h"
#include "template.h"

#define AX_TEMPLATE "bank.inc"
#include "per_dtype.h"

/* Offsets beyond this are refused: index arithmetic stays far from int64 overflow. */
#define AX_BANK_MAX_OFFSET ((int64_t)1 << 52)

/* Everything the template relies on; the Python layer never breaks these, other callers may. */
static int bank_call_ok(ax_dtype dtype, const ax_view *in, const ax_view *out, int64_t ntaps,
                        const ax_piece *pieces, int64_t npieces, int64_t nlines,
                        const int64_t *row_line, const int64_t *row_shift, ax_combine combine)
{
    const int nd = in->ndim;
    const int64_t item = dtype == AX_FLOAT32 ? 4 : 8;
    if (nd < 1 || nd >= AX_MAXDIM || out->ndim != nd + 1 || nlines < 1) return 0;
    for (int d = 0; d <= nd; d++)
        if ((d < nd && in->shape[d] < 0) || out->shape[d] < 0) return 0;
    for (int d = 0; d < nd - 1; d++)
        if (out->shape[d] != in->shape[d]) return 0;
    if (out->shape[nd] > 1 && out->strides[nd] != item) return 0;
    for (int64_t p = 0; p < npieces; p++) {
        const ax_piece *pc = &pieces[p];
        if (pc->ntaps < 1 || pc->tap0 < 0 || pc->tap0 > ntaps - pc->ntaps) return 0;
        if (ax_iabs(pc->first) > AX_BANK_MAX_OFFSET) return 0;
        if (pc->line < 0 || pc->line >= nlines || (p > 0 && pc->line < pieces[p - 1].line)) return 0;
    }
    if (combine == AX_COMBINE_MAX) return out->shape[nd - 1] == 1;
    if (combine != AX_COMBINE_ROWS) return 0;
    for (int64_t r = 0; r < out->shape[nd - 1]; r++) {
        if (row_line[r] < 0 || row_line[r] >= nlines) return 0;
        if (row_shift && ax_iabs(row_shift[r]) > AX_BANK_MAX_OFFSET) return 0;
    }
    return 1;
}

int ax_bank(ax_dtype dtype, ax_view in, ax_view out, const double *taps, int64_t ntaps,
            const ax_piece *pieces, int64_t npieces, const double *bias, int64_t nlines,
            const int64_t *row_line, const int64_t *row_shift, ax_combine combine, ax_mode mode,
            double cval, int threads)
{
    if (!bank_call_ok(dtype, &in, &out, ntaps, pieces, npieces, nlines, row_line, row_shift,
                      combine))
        return AX_EINVAL;
    if ((unsigned)mode > AX_CONSTANT) return AX_EINVAL;
    for (int d = 0; d < out.ndim; d++)
        if (out.shape[d] == 0) return AX_OK;
    if (in.shape[in.ndim - 1] == 0) return AX_EINVAL; /* an empty signal has no extension */
    switch (dtype) {
    case AX_FLOAT32:
        return bank_f32(&in, &out, taps, pieces, npieces, bias, nlines, row_line, row_shift,
                        combine, mode, cval, threads);
    case AX_FLOAT64:
        return bank_f64(&in, &out, taps, pieces, npieces, bias, nlines, row_line, row_shift,
                        combine, mode, cval, threads);
    }
    return AX_EINVAL;
}
