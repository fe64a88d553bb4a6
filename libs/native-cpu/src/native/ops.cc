// Memory-bound kernels of a U-Net training step (elementwise, broadcast, reductions, batch-norm
// pieces), split over the worker threads. Small arrays stay on one thread: spawning costs more.
#include <node_api.h>
#include <algorithm>
#include <string>
#include <cmath>
#include <vector>
#include "kernels.h"

namespace covseg {

static const long kSerialBelow = 1 << 15;

static void Split(long n, long grain, const std::function<void(long, long)>& fn) {
  if (n * grain < kSerialBelow) { if (n > 0) fn(0, n); return; }
  ParallelFor(n, [&](long b, long e, int) { fn(b, e); });
}

// out = a (op) b under a merged broadcast plan (rank ≤ 4; strides 0 where an input repeats).
void Binary(int op, const float* a, const float* b, float* out, int rank, const int* shape, const int* sa, const int* sb) {
  long n = shape[rank - 1], rows = 1;
  for (int d = 0; d < rank - 1; d++) rows *= shape[d];
  const long ia = sa[rank - 1], ib = sb[rank - 1];
  Split(rows, n, [&](long r0, long r1) {
    for (long r = r0; r < r1; r++) {
      long rem = r, oa = 0, ob = 0;
      for (int d = rank - 2; d >= 0; d--) { long i = rem % shape[d]; rem /= shape[d]; oa += i * sa[d]; ob += i * sb[d]; }
      const float *pa = a + oa, *pb = b + ob;
      float* o = out + r * n;
      switch (op) {
        case 0: for (long j = 0; j < n; j++) o[j] = pa[j * ia] + pb[j * ib]; break;
        case 1: for (long j = 0; j < n; j++) o[j] = pa[j * ia] - pb[j * ib]; break;
        case 2: for (long j = 0; j < n; j++) o[j] = pa[j * ia] * pb[j * ib]; break;
        default: for (long j = 0; j < n; j++) o[j] = pa[j * ia] / pb[j * ib]; break;
      }
    }
  });
}

// out[a, b] = scale · Σ_r x[a, r, b] (float64 accumulation).
void ReduceMiddle(const float* x, float* out, long A, long R, long B, double scale) {
  if (A >= Threads() || A * R * B < kSerialBelow) {
    Split(A, R * B, [&](long a0, long a1) {
      std::vector<double> acc(B);
      for (long a = a0; a < a1; a++) {
        std::fill(acc.begin(), acc.end(), 0.0);
        const float* p = x + a * R * B;
        for (long r = 0; r < R; r++, p += B) for (long b = 0; b < B; b++) acc[b] += p[b];
        for (long b = 0; b < B; b++) out[a * B + b] = (float)(acc[b] * scale);
      }
    });
    return;
  }
  // Few outer rows (batch-norm statistics): split R, one partial per worker.
  std::vector<std::vector<double>> part(Threads(), std::vector<double>(A * B, 0.0));
  ParallelFor(R, [&](long r0, long r1, int w) {
    double* acc = part[w].data();
    for (long a = 0; a < A; a++) {
      const float* p = x + (a * R + r0) * B;
      for (long r = r0; r < r1; r++, p += B) for (long b = 0; b < B; b++) acc[a * B + b] += p[b];
    }
  });
  for (long i = 0; i < A * B; i++) {
    double s = 0;
    for (auto& p : part) s += p[i];
    out[i] = (float)(s * scale);
  }
}

// Per-channel Σdy and Σdy·(x−mean) over all rows (the batch-norm gradient's two reductions).
void BatchNormGradSums(const float* dy, const float* x, const float* mean, long n, long C, double* sdy, double* sdyx) {
  long rows = n / C;
  std::vector<std::vector<double>> part(Threads(), std::vector<double>(2 * C, 0.0));
  ParallelFor(rows, [&](long r0, long r1, int w) {
    double* s1 = part[w].data();
    double* s2 = s1 + C;
    for (long r = r0; r < r1; r++) {
      const float *d = dy + r * C, *v = x + r * C;
      for (long c = 0; c < C; c++) { s1[c] += d[c]; s2[c] += (double)d[c] * (double)(v[c] - mean[c]); }
    }
  });
  for (long c = 0; c < C; c++) {
    sdy[c] = sdyx[c] = 0;
    for (auto& p : part) { sdy[c] += p[c]; sdyx[c] += p[C + c]; }
  }
}

// out = (x − shift[c]) · mul[c] + add[c] per channel (batch-norm forward, dx of its gradient).
// Channel factors are float64 (as the JS path computes them), so the result rounds once.
void ChannelAffine(const float* x, float* out, long n, long C, const double* shift, const double* mul, const double* add) {
  Split(n / C, C, [&](long r0, long r1) {
    for (long r = r0; r < r1; r++) {
      const float* v = x + r * C;
      float* o = out + r * C;
      for (long c = 0; c < C; c++) o[c] = (float)(((double)v[c] - shift[c]) * mul[c] + add[c]);
    }
  });
}

// op 0: relu(x); 1: dy·[x>0] (relu gradient); 2: dy·2x (square gradient).
void Pointwise(int op, const float* x, const float* dy, float* out, long n) {
  Split(n, 1, [&](long i0, long i1) {
    switch (op) {
      case 0: for (long i = i0; i < i1; i++) out[i] = x[i] < 0 ? 0.f : x[i]; break;
      case 1: for (long i = i0; i < i1; i++) out[i] = x[i] > 0 ? dy[i] : (std::isnan(x[i]) ? NAN : 0.f); break;
      default: for (long i = i0; i < i1; i++) out[i] = dy[i] * (x[i] * 2.f); break;
    }
  });
}

// out[a, r, b] = dy[a, b] / R (the gradient of a mean over the middle block).
void MeanGrad(const float* dy, float* out, long A, long R, long B) {
  Split(A * R, B, [&](long q0, long q1) {
    for (long q = q0; q < q1; q++) {
      const float* d = dy + (q / R) * B;
      float* o = out + q * B;
      for (long b = 0; b < B; b++) o[b] = d[b] / (float)R;
    }
  });
}

}  // namespace covseg

using namespace covseg;

namespace {

struct Call {
  napi_env env;
  napi_value argv[10];
  size_t argc = 10;
  bool ok = true;
  Call(napi_env e, napi_callback_info info) : env(e) { napi_get_cb_info(e, info, &argc, argv, nullptr, nullptr); }
  template <typename T>
  T* Arr(size_t i, napi_typedarray_type want, size_t* len = nullptr) {
    bool is = false;
    if (ok && i < argc) napi_is_typedarray(env, argv[i], &is);
    if (!is) { Fail("expected a typed array"); return nullptr; }
    napi_typedarray_type t; size_t n; void* p;
    napi_get_typedarray_info(env, argv[i], &t, &n, &p, nullptr, nullptr);
    if (t != want) { Fail("wrong typed array type"); return nullptr; }
    if (len) *len = n;
    return static_cast<T*>(p);
  }
  float* F(size_t i, size_t* len = nullptr) { return Arr<float>(i, napi_float32_array, len); }
  double Num(size_t i) {
    double v = 0;
    if (ok && (i >= argc || napi_get_value_double(env, argv[i], &v) != napi_ok)) Fail("expected a number");
    return v;
  }
  void Fail(const char* m) { if (ok) napi_throw_error(env, nullptr, (std::string("covseg_native: ") + m).c_str()); ok = false; }
};

// binary(op, a, b, out, plan Int32Array [rank, shape…, sa…, sb…])
napi_value BinaryJs(napi_env env, napi_callback_info info) {
  Call c(env, info);
  int op = (int)c.Num(0);
  size_t na, nb, no, np;
  float *a = c.F(1, &na), *b = c.F(2, &nb), *o = c.F(3, &no);
  int* plan = c.Arr<int>(4, napi_int32_array, &np);
  if (!c.ok) return nullptr;
  int rank = plan[0];
  if (rank < 1 || rank > 8 || np != (size_t)(1 + 3 * rank)) { c.Fail("bad broadcast plan"); return nullptr; }
  const int *shape = plan + 1, *sa = shape + rank, *sb = sa + rank;
  size_t total = 1, ea = 1, eb = 1;
  for (int d = 0; d < rank; d++) { total *= shape[d]; ea += (size_t)sa[d] * (shape[d] - 1); eb += (size_t)sb[d] * (shape[d] - 1); }
  if (no != total || na < ea || nb < eb) { c.Fail("binary sizes do not match the plan"); return nullptr; }
  Binary(op, a, b, o, rank, shape, sa, sb);
  return nullptr;
}

// reduceMiddle(x, out, A, R, B, scale)
napi_value ReduceMiddleJs(napi_env env, napi_callback_info info) {
  Call c(env, info);
  size_t nx, no;
  float *x = c.F(0, &nx), *o = c.F(1, &no);
  long A = (long)c.Num(2), R = (long)c.Num(3), B = (long)c.Num(4);
  double scale = c.Num(5);
  if (!c.ok) return nullptr;
  if (nx != (size_t)(A * R * B) || no != (size_t)(A * B)) { c.Fail("reduce sizes"); return nullptr; }
  ReduceMiddle(x, o, A, R, B, scale);
  return nullptr;
}

// batchNormGradSums(dy, x, mean, sdy Float64Array, sdyx Float64Array)
napi_value BatchNormGradSumsJs(napi_env env, napi_callback_info info) {
  Call c(env, info);
  size_t nd, nx, nm, n1, n2;
  float *dy = c.F(0, &nd), *x = c.F(1, &nx), *m = c.F(2, &nm);
  double* s1 = c.Arr<double>(3, napi_float64_array, &n1);
  double* s2 = c.Arr<double>(4, napi_float64_array, &n2);
  if (!c.ok) return nullptr;
  if (nd != nx || nm == 0 || nx % nm || n1 != nm || n2 != nm) { c.Fail("batch-norm sizes"); return nullptr; }
  BatchNormGradSums(dy, x, m, (long)nx, (long)nm, s1, s2);
  return nullptr;
}

// channelAffine(x, out, shift, mul, add)
napi_value ChannelAffineJs(napi_env env, napi_callback_info info) {
  Call c(env, info);
  size_t nx, no, n1, n2, n3;
  float *x = c.F(0, &nx), *o = c.F(1, &no);
  double *s = c.Arr<double>(2, napi_float64_array, &n1), *m = c.Arr<double>(3, napi_float64_array, &n2), *a = c.Arr<double>(4, napi_float64_array, &n3);
  if (!c.ok) return nullptr;
  if (nx != no || n1 == 0 || nx % n1 || n2 != n1 || n3 != n1) { c.Fail("channel affine sizes"); return nullptr; }
  ChannelAffine(x, o, (long)nx, (long)n1, s, m, a);
  return nullptr;
}

// pointwise(op, x, dy, out): dy is ignored (may be x) for op 0.
napi_value PointwiseJs(napi_env env, napi_callback_info info) {
  Call c(env, info);
  int op = (int)c.Num(0);
  size_t nx, nd, no;
  float *x = c.F(1, &nx), *d = c.F(2, &nd), *o = c.F(3, &no);
  if (!c.ok) return nullptr;
  if (nx != no || nd != nx) { c.Fail("pointwise sizes"); return nullptr; }
  Pointwise(op, x, d, o, (long)nx);
  return nullptr;
}

// meanGrad(dy, out, A, R, B)
napi_value MeanGradJs(napi_env env, napi_callback_info info) {
  Call c(env, info);
  size_t nd, no;
  float *d = c.F(0, &nd), *o = c.F(1, &no);
  long A = (long)c.Num(2), R = (long)c.Num(3), B = (long)c.Num(4);
  if (!c.ok) return nullptr;
  if (nd != (size_t)(A * B) || no != (size_t)(A * R * B)) { c.Fail("mean gradient sizes"); return nullptr; }
  MeanGrad(d, o, A, R, B);
  return nullptr;
}

}  // namespace

void RegisterOps(napi_env env, napi_value exports) {
  napi_property_descriptor props[] = {
      {"binary", nullptr, BinaryJs, nullptr, nullptr, nullptr, napi_default, nullptr},
      {"reduceMiddle", nullptr, ReduceMiddleJs, nullptr, nullptr, nullptr, napi_default, nullptr},
      {"batchNormGradSums", nullptr, BatchNormGradSumsJs, nullptr, nullptr, nullptr, napi_default, nullptr},
      {"channelAffine", nullptr, ChannelAffineJs, nullptr, nullptr, nullptr, napi_default, nullptr},
      {"pointwise", nullptr, PointwiseJs, nullptr, nullptr, nullptr, napi_default, nullptr},
      {"meanGrad", nullptr, MeanGradJs, nullptr, nullptr, nullptr, napi_default, nullptr},
  };
  napi_define_properties(env, exports, sizeof(props) / sizeof(props[0]), props);
}
