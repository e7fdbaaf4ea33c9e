/* The C API (csrc/axisconv.h) against slow double-precision references (reference.h), with
 * no Python: every function family, float32 and float64, every boundary mode, ragged sizes,
 * strided, transposed and in-place views, on every SIMD path this CPU has.  A result passes
 * when every output is within 2 (terms + 2) eps sum|k| max|x| of the reference (terms: the
 * products summed per output), the error bound of a sum in the element type; results must
 * also be bitwise equal for 1 and 2 threads.  Built by CMake with -DAXISCONV_C_TESTS=ON and
 * run by ctest, natively or under qemu (tools/cross_aarch64.sh).  Exits 1 on any mismatch. */
#include <float.h>

#include "reference.h"

static int64_t passed, failed;
static char where[200]; /* the case being run, for failure messages */
static int capturing;   /* expect_close keeps the outputs it checks in `captured` */
static double *captured;
static int64_t ncaptured;

static const ax_mode MODES[] = {AX_REFLECT, AX_MIRROR, AX_NEAREST, AX_WRAP, AX_CONSTANT};
static const char *const MODE_NAMES[] = {"reflect", "mirror", "nearest", "wrap", "constant"};

static void expect_ok(int rc)
{
    if (rc != AX_OK) {
        failed++;
        printf("FAIL %s: returned %d\n", where, rc);
    }
}

/* out (typed) against ref (C-ordered, out's shape). */
static void expect_close(const typed *out, const double *ref, double scale, int64_t terms)
{
    const double eps = out->dt == AX_FLOAT32 ? FLT_EPSILON : DBL_EPSILON;
    const double tol = 2.0 * (double)(terms + 2) * eps * (scale > 0 ? scale : 1.0);
    int64_t idx[MAXD], n = count_of(out->nd, out->shape), bad = 0, worst = 0;
    double worst_err = 0;
    if (capturing) {
        free(captured);
        captured = malloc((size_t)n * sizeof *captured);
        ncaptured = n;
    }
    for (int64_t o = 0; o < n; o++) {
        unravel(o, out->nd, out->shape, idx);
        if (capturing) captured[o] = typed_get(out, idx); /* exact, for floats too */
        double err = fabs(typed_get(out, idx) - ref[o]);
        if (!(err <= tol)) {
            if (!bad || !(err <= worst_err)) worst = o, worst_err = err;
            bad++;
        }
    }
    if (!bad) {
        passed++;
        return;
    }
    if (failed++ < 30) {
        unravel(worst, out->nd, out->shape, idx);
        printf("FAIL %s: %lld of %lld outputs off; worst at %lld: got %.9g, want %.9g (tol %.3g)\n",
               where, (long long)bad, (long long)n, (long long)worst, typed_get(out, idx), ref[worst],
               tol);
    }
}

/* An output array of `shape`, in C order or with its axes reversed in memory. */
static void out_init(typed *out, ax_dtype dt, int nd, const int64_t *shape, int reversed)
{
    int rev[MAXD];
    int64_t tshape[MAXD];
    for (int d = 0; d < nd; d++) rev[d] = nd - 1 - d, tshape[d] = shape[reversed ? nd - 1 - d : d];
    typed_init(out, dt, nd, tshape, NULL);
    if (reversed) typed_permute(out, rev);
}

static double max_abs(const double *x, int64_t n)
{
    double m = 0;
    for (int64_t i = 0; i < n; i++) m = fabs(x[i]) > m ? fabs(x[i]) : m;
    return m;
}

static double sum_abs(const double *k, int64_t n)
{
    double s = 0;
    for (int64_t i = 0; i < n; i++) s += fabs(k[i]);
    return s;
}

/* K taps: random, or folded into a symmetric (kind 1) or antisymmetric (kind 2) kernel. */
static double *kernel_of(int64_t K, int kind)
{
    double *k = random_doubles(K);
    for (int64_t t = 0; kind && t < K / 2; t++) k[K - 1 - t] = kind == 1 ? k[t] : -k[t];
    if (kind == 2 && K % 2) k[K / 2] = 0;
    return k;
}

/* ---- ax_correlate1d: rows, columns and a middle axis; contiguous, strided-in/transposed-out,
 * in place, and an output longer than the input along the axis ----------------------------- */

static void correlate1d_case(ax_dtype dt, int nd, const int64_t *shape, int axis, int64_t K,
                             int kind, int mode, int layout, int threads)
{
    static const int64_t spread2[MAXD] = {1, 1, 1, 2};
    int64_t oshape[MAXD], n = count_of(nd, shape), offsets[] = {K / 2, 0, K - 1, K + 2};
    memcpy(oshape, shape, (size_t)nd * sizeof *oshape);
    if (layout == 3) oshape[axis] += 3;
    const int64_t off = offsets[(layout + mode) % 4], nout = count_of(nd, oshape);
    const double cval = 0.625;
    double *x = random_doubles(n), *k = kernel_of(K, kind), *ref = malloc((size_t)nout * sizeof *ref);
    typed in, out;
    typed_init(&in, dt, nd, shape, layout == 1 ? spread2 + (MAXD - nd) : NULL);
    typed_fill(&in, x);
    out_init(&out, dt, nd, oshape, layout == 1);
    ref_correlate1d(x, nd, shape, oshape, axis, k, K, off, MODES[mode], cval, ref);
    snprintf(where, sizeof where, "correlate1d %s nd=%d shape[axis %d]=%lld K=%lld kind=%d %s layout=%d off=%lld",
             dt == AX_FLOAT32 ? "f32" : "f64", nd, axis, (long long)shape[axis], (long long)K, kind,
             MODE_NAMES[mode], layout, (long long)off);
    const typed *target = layout == 2 ? &in : &out;
    expect_ok(ax_correlate1d(dt, in.v, target->v, axis, k, K, off, MODES[mode], cval, threads));
    expect_close(target, ref, sum_abs(k, K) * (max_abs(x, n) > cval ? max_abs(x, n) : cval), K);
    typed_free(&in);
    typed_free(&out);
    free(x);
    free(k);
    free(ref);
}

static void test_correlate1d(ax_dtype dt)
{
    static const int64_t shapes[][3] = {{1, 1, 0}, {3, 7, 0}, {17, 33, 0}, {64, 129, 0},
                                        {5, 1000, 0}, {260, 20, 0}, {2, 9, 40}};
    static const int64_t Ks[] = {1, 2, 3, 5, 8, 17, 31};
    int c = 0;
    for (size_t s = 0; s < sizeof shapes / sizeof *shapes; s++) {
        const int nd = shapes[s][2] ? 3 : 2;
        for (int axis = 0; axis < nd; axis++)
            for (size_t q = 0; q < sizeof Ks / sizeof *Ks; q++)
                for (int kind = 0; kind < (Ks[q] % 2 && Ks[q] > 1 ? 3 : 1); kind++)
                    for (int mode = 0; mode < 5; mode++, c++)
                        correlate1d_case(dt, nd, shapes[s], axis, Ks[q], kind, mode, c / 5 % 4, 2);
    }
}

/* ---- ax_correlate_separable: both orders of the axes, accumulating or not ----------------- */

static void separable_case(ax_dtype dt, int nd, const int64_t *shape, int first_axis, int second_axis,
                           int64_t K1, int64_t K2, int kind, int mode1, int mode2, int accumulate,
                           int transposed_out, int threads)
{
    const int64_t n = count_of(nd, shape);
    double *x = random_doubles(n), *k1 = kernel_of(K1, kind), *k2 = kernel_of(K2, kind);
    double *y0 = random_doubles(n), *mid = malloc((size_t)n * sizeof *mid), *ref = malloc((size_t)n * sizeof *ref);
    const ax_pass first = {first_axis, k1, K1, K1 / 2, MODES[mode1], 0.5};
    const ax_pass second = {second_axis, k2, K2, (K2 - 1) / 3, MODES[mode2], -1.25};
    typed in, out;
    typed_init(&in, dt, nd, shape, NULL);
    typed_fill(&in, x);
    out_init(&out, dt, nd, shape, transposed_out);
    typed_fill(&out, y0); /* the previous output: kept only when accumulating */
    ref_correlate1d(x, nd, shape, shape, first.axis, k1, K1, first.offset, first.mode, first.cval, mid);
    ref_correlate1d(mid, nd, shape, shape, second.axis, k2, K2, second.offset, second.mode, second.cval, ref);
    for (int64_t o = 0; accumulate && o < n; o++) ref[o] += y0[o];
    snprintf(where, sizeof where, "separable %s nd=%d %lldx%lld axes (%d,%d) K=(%lld,%lld) kind=%d %s/%s acc=%d t=%d",
             dt == AX_FLOAT32 ? "f32" : "f64", nd, (long long)shape[nd - 2], (long long)shape[nd - 1],
             first_axis, second_axis, (long long)K1, (long long)K2, kind, MODE_NAMES[mode1],
             MODE_NAMES[mode2], accumulate, transposed_out);
    expect_ok(ax_correlate_separable(dt, in.v, out.v, &first, &second, accumulate, threads));
    double xmax = max_abs(x, n) > 0.5 ? max_abs(x, n) : 0.5, s2 = sum_abs(k2, K2);
    double scale = s2 * (sum_abs(k1, K1) * xmax > 1.25 ? sum_abs(k1, K1) * xmax : 1.25);
    expect_close(&out, ref, scale + (accumulate ? max_abs(y0, n) : 0), K1 * K2 + 2);
    typed_free(&in);
    typed_free(&out);
    free(x), free(k1), free(k2), free(y0), free(mid), free(ref);
}

static void test_separable(ax_dtype dt)
{
    static const int64_t shapes[][3] = {{1, 1, 0}, {5, 7, 0}, {33, 17, 0}, {70, 130, 0}, {3, 20, 30}};
    static const int64_t Ks[][3] = {{1, 1, 0}, {3, 3, 1}, {5, 2, 0}, {7, 9, 2}, {17, 4, 0}, {2, 31, 0}};
    int c = 0;
    for (size_t s = 0; s < sizeof shapes / sizeof *shapes; s++) {
        const int nd = shapes[s][2] ? 3 : 2;
        for (size_t q = 0; q < sizeof Ks / sizeof *Ks; q++)
            for (int swap = 0; swap < 2; swap++)
                for (int mode = 0; mode < 5; mode++, c++)
                    separable_case(dt, nd, shapes[s], swap ? nd - 2 : nd - 1, swap ? nd - 1 : nd - 2,
                                   Ks[q][0], Ks[q][1], (int)Ks[q][2], mode, (mode + c) % 5, c % 3 == 1,
                                   c % 4 == 2, 2);
    }
}

/* ---- ax_correlate2d ---------------------------------------------------------------------- */

static void correlate2d_case(ax_dtype dt, int nd, const int64_t *shape, int64_t kh, int64_t kw,
                             int mode, int transposed_out, int threads)
{
    const int64_t n = count_of(nd, shape), off_r = kh / 2, off_c = (kw - 1) / 3;
    const int r = nd - 2, c = nd - 1;
    const double cval = -0.75;
    double *x = random_doubles(n), *k = random_doubles(kh * kw), *ref = malloc((size_t)n * sizeof *ref);
    typed in, out;
    typed_init(&in, dt, nd, shape, NULL);
    typed_fill(&in, x);
    out_init(&out, dt, nd, shape, transposed_out);
    int64_t idx[MAXD];
    for (int64_t o = 0; o < n; o++) {
        unravel(o, nd, shape, idx);
        const int64_t i = idx[r], j = idx[c];
        double sum = 0;
        for (int64_t a = 0; a < kh; a++)
            for (int64_t b = 0; b < kw; b++) {
                int64_t si = ext_index(i + a - off_r, shape[r], MODES[mode]);
                int64_t sj = ext_index(j + b - off_c, shape[c], MODES[mode]);
                idx[r] = si, idx[c] = sj;
                sum += k[a * kw + b] * (si < 0 || sj < 0 ? cval : x[ravel(nd, shape, idx)]);
            }
        ref[o] = sum;
    }
    snprintf(where, sizeof where, "correlate2d %s nd=%d %lldx%lld k=%lldx%lld %s t=%d",
             dt == AX_FLOAT32 ? "f32" : "f64", nd, (long long)shape[r], (long long)shape[c],
             (long long)kh, (long long)kw, MODE_NAMES[mode], transposed_out);
    expect_ok(ax_correlate2d(dt, in.v, out.v, r, c, k, kh, kw, off_r, off_c, MODES[mode], cval, threads));
    double xmax = max_abs(x, n) > 0.75 ? max_abs(x, n) : 0.75;
    expect_close(&out, ref, sum_abs(k, kh * kw) * xmax, kh * kw);
    typed_free(&in);
    typed_free(&out);
    free(x), free(k), free(ref);
}

static void test_correlate2d(ax_dtype dt)
{
    static const int64_t shapes[][3] = {{1, 1, 0}, {4, 9, 0}, {23, 31, 0}, {70, 130, 0}, {2, 11, 13}};
    static const int64_t ks[][2] = {{1, 1}, {3, 3}, {5, 2}, {2, 7}, {7, 7}};
    int c = 0;
    for (size_t s = 0; s < sizeof shapes / sizeof *shapes; s++)
        for (size_t q = 0; q < sizeof ks / sizeof *ks; q++)
            for (int mode = 0; mode < 5; mode++, c++)
                correlate2d_case(dt, shapes[s][2] ? 3 : 2, shapes[s], ks[q][0], ks[q][1], mode, c % 3 == 1, 2);
}

/* ---- inputs with an empty axis, and calls refused: an axis of no samples extends only by a
 * constant; a mode that is none, or views of different batches, return AX_EINVAL and write
 * nothing ---------------------------------------------------------------------------------- */

#define UNTOUCHED 7.0 /* what `out` holds before a call that must not write it */

static void expect_refused(int rc, const typed *out)
{
    int64_t idx[MAXD], n = count_of(out->nd, out->shape), written = 0;
    for (int64_t o = 0; o < n; o++) {
        unravel(o, out->nd, out->shape, idx);
        written += typed_get(out, idx) != UNTOUCHED;
    }
    if (rc == AX_EINVAL && !written)
        passed++;
    else if (failed++ < 30)
        printf("FAIL %s: returned %d, wrote %lld outputs\n", where, rc, (long long)written);
}

static void fill_untouched(typed *out)
{
    int64_t idx[MAXD], n = count_of(out->nd, out->shape);
    for (int64_t o = 0; o < n; o++) {
        unravel(o, out->nd, out->shape, idx);
        typed_set(out, idx, UNTOUCHED);
    }
}

/* fn 0: ax_correlate1d along `axis`; 1: ax_correlate_separable, its second pass along `axis`
 * (the first along the other axis); 2: ax_correlate2d.  `in` and `out` are 2-D. */
static int call_fn(int fn, ax_dtype dt, const typed *in, const typed *out, int axis,
                   const double *k, int64_t K, ax_mode mode, double cval)
{
    const ax_pass first = {1 - axis, k, K, K / 2, AX_REFLECT, 0.0};
    const ax_pass second = {axis, k, K, K / 2, mode, cval};
    switch (fn) {
    case 0: return ax_correlate1d(dt, in->v, out->v, axis, k, K, K / 2, mode, cval, 2);
    case 1: return ax_correlate_separable(dt, in->v, out->v, &first, &second, 0, 2);
    default: return ax_correlate2d(dt, in->v, out->v, 0, 1, k, 1, K, 0, K / 2, mode, cval, 2);
    }
}

static void empty_case(ax_dtype dt, int fn, const int64_t *ishape, const int64_t *oshape, int axis,
                       int mode)
{
    static const char *const FN_NAMES[] = {"correlate1d", "separable", "correlate2d"};
    const int64_t K = 3;
    const double cval = -0.75;
    double *x = random_doubles(0), *k = kernel_of(K, 0);
    double *ref = malloc((size_t)count_of(2, oshape) * sizeof *ref);
    typed in, out;
    typed_init(&in, dt, 2, ishape, NULL);
    typed_init(&out, dt, 2, oshape, NULL);
    fill_untouched(&out);
    snprintf(where, sizeof where, "%s %s empty input %lldx%lld into %lldx%lld axis %d %s",
             FN_NAMES[fn], dt == AX_FLOAT32 ? "f32" : "f64", (long long)ishape[0],
             (long long)ishape[1], (long long)oshape[0], (long long)oshape[1], axis,
             MODE_NAMES[mode]);
    const int rc = call_fn(fn, dt, &in, &out, axis, k, K, MODES[mode], cval);
    if (MODES[mode] != AX_CONSTANT) {
        expect_refused(rc, &out);
    } else { /* every output sums the constant: a 2-D kernel's row, or the second pass's taps */
        expect_ok(rc);
        ref_correlate1d(x, 2, ishape, oshape, axis, k, K, K / 2, AX_CONSTANT, cval, ref);
        expect_close(&out, ref, sum_abs(k, K) * 0.75, K);
    }
    typed_free(&in);
    typed_free(&out);
    free(x), free(k), free(ref);
}

static void refused_case(ax_dtype dt, int fn, const int64_t *ishape, const int64_t *oshape,
                         ax_mode mode, const char *why)
{
    double *x = random_doubles(count_of(2, ishape)), *k = kernel_of(3, 0);
    typed in, out;
    typed_init(&in, dt, 2, ishape, NULL);
    typed_fill(&in, x);
    typed_init(&out, dt, 2, oshape, NULL);
    fill_untouched(&out);
    snprintf(where, sizeof where, "fn %d %s refused: %s", fn, dt == AX_FLOAT32 ? "f32" : "f64",
             why);
    expect_refused(call_fn(fn, dt, &in, &out, 1, k, 3, mode, 0.0), &out);
    typed_free(&in);
    typed_free(&out);
    free(x), free(k);
}

static void test_empty_and_refused(ax_dtype dt)
{
    static const int64_t rows0[] = {0, 20}, rows6[] = {6, 20}, cols0[] = {3, 0}, cols5[] = {3, 5};
    static const int64_t none[] = {0, 0}, some[] = {2, 3}, x36[] = {3, 6}, x46[] = {4, 6};
    for (int mode = 0; mode < 5; mode++) {
        empty_case(dt, 0, cols0, cols5, 1, mode); /* along rows */
        empty_case(dt, 0, rows0, rows6, 0, mode); /* along columns */
        empty_case(dt, 1, rows0, rows6, 0, mode); /* the second pass reads no rows */
        empty_case(dt, 2, none, some, 1, mode);
    }
    for (int fn = 0; fn < 3; fn++) {
        refused_case(dt, fn, x36, x36, (ax_mode)5, "mode 5");
        refused_case(dt, fn, x36, x36, (ax_mode)-1, "mode -1");
    }
    refused_case(dt, 0, x36, x46, AX_REFLECT, "another batch");
}

#include "test_capi_layers.inc" /* ax_bank and ax_conv1d */

/* ---- bits must not depend on the thread count: large calls on 1 and 2 threads ------------ */

/* Runs CALL (which reads `threads`) on 1 thread, then on 2 with the same random data. */
#define SAME_BITS(CALL)                                                                       \
    do {                                                                                      \
        const uint64_t seed = rng_state;                                                      \
        int threads = 1;                                                                      \
        capturing = 1;                                                                        \
        CALL;                                                                                 \
        double *serial = captured;                                                            \
        const int64_t n = ncaptured;                                                          \
        captured = NULL;                                                                      \
        rng_state = seed;                                                                     \
        threads = 2;                                                                          \
        CALL;                                                                                 \
        capturing = 0;                                                                        \
        if (serial && captured && n == ncaptured && !memcmp(serial, captured, (size_t)n * 8)) \
            passed++;                                                                         \
        else if (failed++ < 30)                                                               \
            printf("FAIL %s: 1 and 2 threads give different bits\n", where);                  \
        free(serial);                                                                         \
        free(captured);                                                                       \
        captured = NULL;                                                                      \
    } while (0)

static void test_threads(ax_dtype dt)
{
    const int64_t big[] = {300, 500}, tall[] = {2, 200, 300};
    SAME_BITS(correlate1d_case(dt, 2, big, 0, 5, 1, 0, 0, threads));
    SAME_BITS(correlate1d_case(dt, 2, big, 1, 6, 0, 3, 1, threads));
    SAME_BITS(separable_case(dt, 2, big, 1, 0, 5, 7, 0, 1, 4, 0, 0, threads));
    SAME_BITS(separable_case(dt, 3, tall, 2, 1, 9, 3, 1, 4, 0, 1, 1, threads));
    SAME_BITS(correlate2d_case(dt, 3, tall, 3, 3, 2, 0, threads));
    SAME_BITS(bank_case(dt, 2, 20000, 0, 1, threads));
    SAME_BITS(conv1d_case(dt, 0, 2, 500, 3, 0, threads));
    SAME_BITS(conv1d_case(dt, 2, 64, 300, 5, 3, threads));
}

int main(void)
{
    printf("axisconv C API test; SIMD paths:");
    for (int p = 0; p < AX_SIMD_COUNT; p++)
        if (ax_simd_supported((ax_simd)p)) printf(" %s", ax_simd_name((ax_simd)p));
    printf("; threads: %d%s\n", ax_get_num_threads(), ax_threaded() ? "" : " (a serial build)");
    for (int p = 0; p < AX_SIMD_COUNT; p++) {
        if (!ax_simd_supported((ax_simd)p)) continue;
        expect_ok(ax_simd_select((ax_simd)p));
        int64_t before = passed + failed;
        for (int d = 0; d < 2; d++) {
            const ax_dtype dt = d ? AX_FLOAT64 : AX_FLOAT32;
            test_correlate1d(dt);
            test_separable(dt);
            test_correlate2d(dt);
            test_empty_and_refused(dt);
            test_bank(dt);
            test_conv1d(dt);
            test_layers_refuse_negative_extents(dt);
            test_threads(dt);
        }
        printf("  %-8s %lld checks\n", ax_simd_name((ax_simd)p), (long long)(passed + failed - before));
    }
    printf("capi: %lld passed, %lld failed\n", (long long)passed, (long long)failed);
    return failed ? 1 : 0;
}
