// Fused kernels of a U-Net training step: batch norm (training mode) forward and backward, the
// Adam update, channel concat/split and non-overlapping max pooling with its gradient. Each is one
// or two passes over memory where tfjs's composition takes 3–15; rows are split over the workers.
#include <node_api.h>
#include <algorithm>
#include <cmath>
#include <cstring>
#include <string>
#include <vector>
#include "kernels.h"

namespace covseg {

static const long kSerialRows = 1 << 15;  // elements below which one thread is faster

static void Rows(long rows, long width, const std::function<void(long, long, int)>& fn) {
  if (rows * width < kSerialRows) { if (rows > 0) fn(0, rows, 0); return; }
  ParallelFor(rows, fn);
}

static int Workers(long rows, long width) { return rows * width < kSerialRows ? 1 : (int)std::max<long>(1, std::min<long>(Threads(), rows)); }

// Batch statistics per channel (last axis) of x viewed as [rows, C]: mean and biased variance,
// accumulated in float64 around a per-channel shift (the first row) so a large mean does not
// cancel the variance.
void BatchMoments(const float* x, long rows, long C, double* mean, double* var) {
  int w = Workers(rows, C);
  std::vector<double> part((size_t)w * 2 * C, 0.0);
  Rows(rows, C, [&](long r0, long r1, int t) {
    double *s1 = part.data() + (size_t)t * 2 * C, *s2 = s1 + C;
    for (long r = r0; r < r1; r++) {
      const float* v = x + r * C;
      for (long c = 0; c < C; c++) { double d = (double)v[c] - (double)x[c]; s1[c] += d; s2[c] += d * d; }
    }
  });
  for (long c = 0; c < C; c++) {
    double s1 = 0, s2 = 0;
    for (int t = 0; t < w; t++) { s1 += part[(size_t)t * 2 * C + c]; s2 += part[(size_t)t * 2 * C + C + c]; }
    double m = s1 / rows;
    mean[c] = (double)x[c] + m;
    var[c] = std::max(0.0, s2 / rows - m * m);
  }
}

// y = (x − mean)·k + beta per channel, then max(y, 0) when relu.
void BatchNormApply(const float* x, float* y, long rows, long C, const double* mean, const double* k, const double* beta, bool relu) {
  Rows(rows, C, [&](long r0, long r1, int) {
    for (long r = r0; r < r1; r++) {
      const float* v = x + r * C;
      float* o = y + r * C;
      for (long c = 0; c < C; c++) {
        float t = (float)(((double)v[c] - mean[c]) * k[c] + beta[c]);
        o[c] = relu && !(t > 0) ? (std::isnan(t) ? t : 0.f) : t;
      }
    }
  });
}

// Gradient of y = γ·(x − μ)/√(σ² + ε) + β with μ, σ² the batch statistics of x:
// dβ = Σdy, dγ = Σdy·x̂, dx = γ/√(σ²+ε)·(dy − dβ/n − x̂·dγ/n). Two passes. With z (the output of
// relu(y)), dy is first masked to z > 0: the fused relu's gradient.
void BatchNormTrainGrad(const float* dy0, const float* x, const float* z, long rows, long C, const double* mean, const double* inv, const float* gamma,
                        float* dx, double* dbeta, double* dgamma) {
  auto grad = [&](long i) -> double { return z == nullptr || z[i] > 0 ? (double)dy0[i] : (std::isnan(z[i]) ? NAN : 0.0); };
  int w = Workers(rows, C);
  std::vector<double> part((size_t)w * 2 * C, 0.0);
  Rows(rows, C, [&](long r0, long r1, int t) {
    double *s1 = part.data() + (size_t)t * 2 * C, *s2 = s1 + C;
    for (long r = r0; r < r1; r++) {
      const float* v = x + r * C;
      for (long c = 0; c < C; c++) { double d = grad(r * C + c); s1[c] += d; s2[c] += d * ((double)v[c] - mean[c]); }
    }
  });
  std::vector<double> a(C), b(C), k(C);
  for (long c = 0; c < C; c++) {
    double s1 = 0, s2 = 0;
    for (int t = 0; t < w; t++) { s1 += part[(size_t)t * 2 * C + c]; s2 += part[(size_t)t * 2 * C + C + c]; }
    dbeta[c] = s1;
    dgamma[c] = s2 * inv[c];
    k[c] = gamma[c] * inv[c];
    a[c] = s1 / rows;                       // mean of dy
    b[c] = s2 * inv[c] * inv[c] / rows;     // mean of dy·x̂, over √(σ²+ε)
  }
  Rows(rows, C, [&](long r0, long r1, int) {
    for (long r = r0; r < r1; r++) {
      const float* v = x + r * C;
      float* o = dx + r * C;
      for (long c = 0; c < C; c++) o[c] = (float)(k[c] * (grad(r * C + c) - a[c] - ((double)v[c] - mean[c]) * b[c]));
    }
  });
}

// Adam, op for op as tfjs's composition in float32 (so results are bit-identical):
// m' = m·β1 + g·(1−β1); v' = v·β2 + g²·(1−β2); x' = x − m'·lr / (√v' + ε).
// c = [β1, 1−β1, β2, 1−β2, lr, ε], each already rounded to float32 by the caller.
void AdamUpdate(const float* x, const float* m, const float* v, const float* g, float* xo, float* mo, float* vo, long n, const float* c) {
  const float b1 = c[0], nb1 = c[1], b2 = c[2], nb2 = c[3], lr = c[4], eps = c[5];
  Rows(n, 1, [&](long i0, long i1, int) {
    for (long i = i0; i < i1; i++) {
      float gm = g[i] * nb1, mm = m[i] * b1, m1 = mm + gm;
      float g2 = g[i] * g[i], vv = v[i] * b2, gv = g2 * nb2, v1 = vv + gv;
      float num = m1 * lr, den = std::sqrt(v1) + eps;
      mo[i] = m1;
      vo[i] = v1;
      xo[i] = x[i] - num / den;
    }
  });
}

// Copies src [outer × len] into columns [start, start+len) of dst [outer × rowLen] (toDst), or back.
void ColumnCopy(float* dst, const float* src, long outer, long rowLen, long start, long len, bool toDst) {
  Rows(outer, len, [&](long r0, long r1, int) {
    for (long r = r0; r < r1; r++) {
      if (toDst) std::memcpy(dst + r * rowLen + start, src + r * len, len * sizeof(float));
      else std::memcpy(dst + r * len, src + r * rowLen + start, len * sizeof(float));
    }
  });
}

// Max pooling over non-overlapping fh×fw windows (stride = window, no padding), NHWC; windows
// cut by the border keep their inside part. Per channel the first strict maximum wins.
void MaxPool(const float* x, float* y, int N, int H, int W, int C, int fh, int fw, int OH, int OW) {
  Rows((long)N * OH, (long)OW * C * fh * fw, [&](long q0, long q1, int) {
    for (long q = q0; q < q1; q++) {
      int n = (int)(q / OH), oh = (int)(q % OH);
      float* o = y + q * OW * C;
      std::fill(o, o + (size_t)OW * C, -INFINITY);
      for (int kh = 0; kh < fh; kh++) {
        int ih = oh * fh + kh;
        if (ih >= H) break;
        for (int ow = 0; ow < OW; ow++)
          for (int kw = 0; kw < fw; kw++) {
            int iw = ow * fw + kw;
            if (iw >= W) break;
            const float* p = x + (((size_t)n * H + ih) * W + iw) * C;
            float* d = o + (size_t)ow * C;
            for (int c = 0; c < C; c++) if (p[c] > d[c]) d[c] = p[c];
          }
      }
    }
  });
}

// dx of MaxPool: each window's dy goes to the position of its first strict maximum.
void MaxPoolGrad(const float* x, const float* dy, float* dx, int N, int H, int W, int C, int fh, int fw, int OH, int OW) {
  std::memset(dx, 0, (size_t)N * H * W * C * sizeof(float));
  Rows((long)N * OH, (long)OW * C * fh * fw, [&](long q0, long q1, int) {
    std::vector<float> best(C);
    std::vector<long> pos(C);
    for (long q = q0; q < q1; q++) {
      int n = (int)(q / OH), oh = (int)(q % OH);
      for (int ow = 0; ow < OW; ow++) {
        std::fill(best.begin(), best.end(), -INFINITY);
        std::fill(pos.begin(), pos.end(), -1);
        for (int kh = 0; kh < fh; kh++) {
          int ih = oh * fh + kh;
          if (ih >= H) break;
          for (int kw = 0; kw < fw; kw++) {
            int iw = ow * fw + kw;
            if (iw >= W) break;
            long p = (((long)n * H + ih) * W + iw) * C;
            for (int c = 0; c < C; c++) if (x[p + c] > best[c]) { best[c] = x[p + c]; pos[c] = p + c; }
          }
        }
        const float* g = dy + (q * OW + ow) * C;
        for (int c = 0; c < C; c++) if (pos[c] >= 0) dx[pos[c]] += g[c];
      }
    }
  });
}

// The segmentation loss's sums over pixels of probabilities p and one-hot targets y [rows, C]:
// per class Σ y·log(clip(p, floor, 1)), Σ y·p, Σ y, Σ p (float64), written to sums[4·C].
void SegLossSums(const float* p, const float* y, long rows, long C, float floor, double* sums) {
  int w = Workers(rows, C);
  std::vector<double> part((size_t)w * 4 * C, 0.0);
  Rows(rows, C, [&](long r0, long r1, int t) {
    double* s = part.data() + (size_t)t * 4 * C;
    for (long r = r0; r < r1; r++) {
      const float *pp = p + r * C, *yy = y + r * C;
      for (long c = 0; c < C; c++) {
        float q = std::max(std::min(pp[c], 1.f), floor);
        if (yy[c] != 0) s[c] += (double)yy[c] * std::log((double)q);
        s[C + c] += (double)yy[c] * pp[c];
        s[2 * C + c] += yy[c];
        s[3 * C + c] += pp[c];
      }
    }
  });
  for (long i = 0; i < 4 * C; i++) {
    double v = 0;
    for (int t = 0; t < w; t++) v += part[(size_t)t * 4 * C + i];
    sums[i] = v;
  }
}

// dp = a[c]·y/p·[floor ≤ p ≤ 1] + b[c]·y + e[c] (the loss gradient; the caller folds dy into a, b, e).
void SegLossGrad(const float* p, const float* y, long rows, long C, float floor, const double* a, const double* b, const double* e, float* dp) {
  Rows(rows, C, [&](long r0, long r1, int) {
    for (long r = r0; r < r1; r++) {
      const float *pp = p + r * C, *yy = y + r * C;
      float* o = dp + r * C;
      for (long c = 0; c < C; c++) {
        double ce = pp[c] >= floor && pp[c] <= 1.f && yy[c] != 0 ? a[c] * yy[c] / pp[c] : 0.0;
        o[c] = (float)(ce + b[c] * yy[c] + e[c]);
      }
    }
  });
}

}  // namespace covseg

using namespace covseg;

namespace {

struct Call {
  napi_env env;
  napi_value argv[12];
  size_t argc = 12;
  bool ok = true;
  Call(napi_env e, napi_callback_info info) : env(e) { napi_get_cb_info(e, info, &argc, argv, nullptr, nullptr); }
  template <typename T>
  T* Arr(size_t i, napi_typedarray_type want, size_t* len) {
    bool is = false;
    if (ok && i < argc) napi_is_typedarray(env, argv[i], &is);
    if (!is) { Fail("expected a typed array"); return nullptr; }
    napi_typedarray_type t; void* p;
    napi_get_typedarray_info(env, argv[i], &t, len, &p, nullptr, nullptr);
    if (t != want) { Fail("wrong typed array type"); return nullptr; }
    return static_cast<T*>(p);
  }
  float* F(size_t i, size_t* len) { return Arr<float>(i, napi_float32_array, len); }
  double* D(size_t i, size_t* len) { return Arr<double>(i, napi_float64_array, len); }
  long Int(size_t i) {
    double v = 0;
    if (ok && (i >= argc || napi_get_value_double(env, argv[i], &v) != napi_ok)) Fail("expected a number");
    return (long)v;
  }
  void Fail(const char* m) { if (ok) napi_throw_error(env, nullptr, (std::string("covseg_native: ") + m).c_str()); ok = false; }
};

// batchMoments(x, mean Float64Array[C], variance Float64Array[C])
napi_value BatchMomentsJs(napi_env env, napi_callback_info info) {
  Call c(env, info);
  size_t nx, nm, nv;
  float* x = c.F(0, &nx);
  double *m = c.D(1, &nm), *v = c.D(2, &nv);
  if (!c.ok) return nullptr;
  if (nm == 0 || nv != nm || nx % nm || nx == 0) { c.Fail("batch moments sizes"); return nullptr; }
  BatchMoments(x, (long)(nx / nm), (long)nm, m, v);
  return nullptr;
}

// batchNormApply(x, y, mean, k, beta (Float64Array[C] each), relu 0/1)
napi_value BatchNormApplyJs(napi_env env, napi_callback_info info) {
  Call c(env, info);
  size_t nx, ny, n1, n2, n3;
  float *x = c.F(0, &nx), *y = c.F(1, &ny);
  double *m = c.D(2, &n1), *k = c.D(3, &n2), *b = c.D(4, &n3);
  bool relu = c.Int(5) != 0;
  if (!c.ok) return nullptr;
  if (nx != ny || n1 == 0 || nx % n1 || n2 != n1 || n3 != n1) { c.Fail("batch norm sizes"); return nullptr; }
  BatchNormApply(x, y, (long)(nx / n1), (long)n1, m, k, b, relu);
  return nullptr;
}

// batchNormTrainGrad(dy, x, mean F64, inv F64, gamma F32, dx, dbeta F64, dgamma F64[, z F32: relu output])
napi_value BatchNormTrainGradJs(napi_env env, napi_callback_info info) {
  Call c(env, info);
  size_t nd, nx, nm, ni, ng, ndx, nb, ngg;
  float *dy = c.F(0, &nd), *x = c.F(1, &nx);
  double *m = c.D(2, &nm), *inv = c.D(3, &ni);
  float* g = c.F(4, &ng);
  float* dx = c.F(5, &ndx);
  double *db = c.D(6, &nb), *dg = c.D(7, &ngg);
  size_t nz = nx;
  float* z = c.argc > 8 ? c.F(8, &nz) : nullptr;
  if (!c.ok) return nullptr;
  if (nd != nx || ndx != nx || nz != nx || nm == 0 || nx % nm || ni != nm || ng != nm || nb != nm || ngg != nm) { c.Fail("batch norm gradient sizes"); return nullptr; }
  BatchNormTrainGrad(dy, x, z, (long)(nx / nm), (long)nm, m, inv, g, dx, db, dg);
  return nullptr;
}

// adam(x, m, v, g, xOut, mOut, vOut, consts Float32Array[6])
napi_value AdamJs(napi_env env, napi_callback_info info) {
  Call c(env, info);
  size_t n[8];
  float* p[8];
  for (int i = 0; i < 8; i++) p[i] = c.F(i, &n[i]);
  if (!c.ok) return nullptr;
  for (int i = 1; i < 7; i++) if (n[i] != n[0]) { c.Fail("adam sizes"); return nullptr; }
  if (n[7] != 6) { c.Fail("adam needs 6 constants"); return nullptr; }
  AdamUpdate(p[0], p[1], p[2], p[3], p[4], p[5], p[6], (long)n[0], p[7]);
  return nullptr;
}

// columnCopy(dst, src, outer, rowLen, start, len, toDst 0/1): concat (1) or split (0) along the
// last block of dims.
napi_value ColumnCopyJs(napi_env env, napi_callback_info info) {
  Call c(env, info);
  size_t nd, ns;
  float *d = c.F(0, &nd), *s = c.F(1, &ns);
  long outer = c.Int(2), rowLen = c.Int(3), start = c.Int(4), len = c.Int(5);
  bool toDst = c.Int(6) != 0;
  if (!c.ok) return nullptr;
  size_t wide = (size_t)outer * rowLen, narrow = (size_t)outer * len;
  if (outer < 0 || len < 0 || start < 0 || start + len > rowLen || (toDst ? (nd != wide || ns != narrow) : (ns != wide || nd != narrow))) {
    c.Fail("column copy sizes"); return nullptr;
  }
  ColumnCopy(d, s, outer, rowLen, start, len, toDst);
  return nullptr;
}

// maxPool(x, y, dims Int32Array[9] = N,H,W,C, fh,fw, OH,OW, unused) / maxPoolGrad(x, dy, dx, dims)
bool PoolDims(Call& c, size_t i, int* d) {
  size_t n;
  int* p = c.Arr<int>(i, napi_int32_array, &n);
  if (!c.ok) return false;
  if (n != 8) { c.Fail("pool needs 8 dims"); return false; }
  std::memcpy(d, p, 8 * sizeof(int));
  bool valid = d[0] > 0 && d[1] > 0 && d[2] > 0 && d[3] > 0 && d[4] > 0 && d[5] > 0 && (d[6] == d[1] / d[4] || d[6] == (d[1] + d[4] - 1) / d[4]) &&
               (d[7] == d[2] / d[5] || d[7] == (d[2] + d[5] - 1) / d[5]) && d[6] > 0 && d[7] > 0;
  if (!valid) c.Fail("bad pool geometry");
  return valid;
}

napi_value MaxPoolJs(napi_env env, napi_callback_info info) {
  Call c(env, info);
  size_t nx, ny;
  float *x = c.F(0, &nx), *y = c.F(1, &ny);
  int d[8];
  if (!c.ok || !PoolDims(c, 2, d)) return nullptr;
  if (nx != (size_t)d[0] * d[1] * d[2] * d[3] || ny != (size_t)d[0] * d[6] * d[7] * d[3]) { c.Fail("max pool sizes"); return nullptr; }
  MaxPool(x, y, d[0], d[1], d[2], d[3], d[4], d[5], d[6], d[7]);
  return nullptr;
}

napi_value MaxPoolGradJs(napi_env env, napi_callback_info info) {
  Call c(env, info);
  size_t nx, ndy, ndx;
  float *x = c.F(0, &nx), *dy = c.F(1, &ndy), *dx = c.F(2, &ndx);
  int d[8];
  if (!c.ok || !PoolDims(c, 3, d)) return nullptr;
  if (nx != (size_t)d[0] * d[1] * d[2] * d[3] || ndx != nx || ndy != (size_t)d[0] * d[6] * d[7] * d[3]) { c.Fail("max pool gradient sizes"); return nullptr; }
  MaxPoolGrad(x, dy, dx, d[0], d[1], d[2], d[3], d[4], d[5], d[6], d[7]);
  return nullptr;
}

// segLossSums(p, y, floor, sums Float64Array[4·C])
napi_value SegLossSumsJs(napi_env env, napi_callback_info info) {
  Call c(env, info);
  size_t np, ny, ns;
  float *p = c.F(0, &np), *y = c.F(1, &ny);
  double floor = 0;
  if (c.ok) napi_get_value_double(env, c.argv[2], &floor);
  double* s = c.D(3, &ns);
  if (!c.ok) return nullptr;
  if (np != ny || ns == 0 || ns % 4 || np % (ns / 4)) { c.Fail("loss sums sizes"); return nullptr; }
  long C = (long)(ns / 4);
  SegLossSums(p, y, (long)np / C, C, (float)floor, s);
  return nullptr;
}

// segLossGrad(p, y, floor, a, b, e (Float64Array[C]), dp)
napi_value SegLossGradJs(napi_env env, napi_callback_info info) {
  Call c(env, info);
  size_t np, ny, na, nb, ne, nd;
  float *p = c.F(0, &np), *y = c.F(1, &ny);
  double floor = 0;
  if (c.ok) napi_get_value_double(env, c.argv[2], &floor);
  double *a = c.D(3, &na), *b = c.D(4, &nb), *e = c.D(5, &ne);
  float* dp = c.F(6, &nd);
  if (!c.ok) return nullptr;
  if (np != ny || nd != np || na == 0 || np % na || nb != na || ne != na) { c.Fail("loss gradient sizes"); return nullptr; }
  SegLossGrad(p, y, (long)(np / na), (long)na, (float)floor, a, b, e, dp);
  return nullptr;
}

}  // namespace

void RegisterTrainOps(napi_env env, napi_value exports) {
  napi_property_descriptor props[] = {
      {"batchMoments", nullptr, BatchMomentsJs, nullptr, nullptr, nullptr, napi_default, nullptr},
      {"batchNormApply", nullptr, BatchNormApplyJs, nullptr, nullptr, nullptr, napi_default, nullptr},
      {"batchNormTrainGrad", nullptr, BatchNormTrainGradJs, nullptr, nullptr, nullptr, napi_default, nullptr},
      {"adam", nullptr, AdamJs, nullptr, nullptr, nullptr, napi_default, nullptr},
      {"columnCopy", nullptr, ColumnCopyJs, nullptr, nullptr, nullptr, napi_default, nullptr},
      {"maxPool", nullptr, MaxPoolJs, nullptr, nullptr, nullptr, napi_default, nullptr},
      {"maxPoolGrad", nullptr, MaxPoolGradJs, nullptr, nullptr, nullptr, napi_default, nullptr},
      {"segLossSums", nullptr, SegLossSumsJs, nullptr, nullptr, nullptr, napi_default, nullptr},
      {"segLossGrad", nullptr, SegLossGradJs, nullptr, nullptr, nullptr, napi_default, nullptr},
  };
  napi_define_properties(env, exports, sizeof(props) / sizeof(props[0]), props);
}
