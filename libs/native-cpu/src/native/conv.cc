// Convolutions as im2col + packed GEMM, parallel over chunks of output pixels (each worker owns
// its own im2col buffer, so no large intermediate is ever materialised).
#include <algorithm>
#include <cstring>
#include <vector>
#include "kernels.h"

namespace covseg {

static const int kChunk = 128;  // output pixels per im2col chunk (≈ L2-sized buffer)

// Writes the im2col row of output pixel m (n, oh, ow): KH·KW·Ci values in (kh, kw, ci) order.
static void Im2colRow(const ConvGeom& g, const float* x, long m, float* row) {
  int ow = (int)(m % g.OW), oh = (int)((m / g.OW) % g.OH), n = (int)(m / ((long)g.OW * g.OH));
  for (int kh = 0; kh < g.KH; kh++) {
    int ih = oh * g.SH - g.PT + kh * g.DH;
    for (int kw = 0; kw < g.KW; kw++, row += g.Ci) {
      int iw = ow * g.SW - g.PL + kw * g.DW;
      if (ih < 0 || ih >= g.H || iw < 0 || iw >= g.W) std::memset(row, 0, g.Ci * sizeof(float));
      else std::memcpy(row, x + (((size_t)n * g.H + ih) * g.W + iw) * g.Ci, g.Ci * sizeof(float));
    }
  }
}

static bool IsPointwise(const ConvGeom& g) {
  return g.KH == 1 && g.KW == 1 && g.SH == 1 && g.SW == 1 && g.PT == 0 && g.PL == 0 && g.H == g.OH && g.W == g.OW;
}

void Conv2D(const ConvGeom& g, const float* x, const float* w, float* y) {
  const int K = g.KH * g.KW * g.Ci;
  const long M = (long)g.N * g.OH * g.OW;
  std::vector<float> wp(PackedSize(K, g.Co));
  PackB(K, g.Co, w, g.Co, false, wp.data());
  const bool pointwise = IsPointwise(g);
  long chunks = (M + kChunk - 1) / kChunk;
  ParallelFor(chunks, [&](long c0, long c1, int) {
    std::vector<float> col(pointwise ? 0 : (size_t)kChunk * K);
    for (long c = c0; c < c1; c++) {
      long m0 = c * kChunk;
      int mc = (int)std::min<long>(kChunk, M - m0);
      if (pointwise) {
        GemmPacked(mc, g.Co, K, x + m0 * K, K, wp.data(), y + m0 * g.Co, g.Co, false);
        continue;
      }
      for (int i = 0; i < mc; i++) Im2colRow(g, x, m0 + i, col.data() + (size_t)i * K);
      GemmPacked(mc, g.Co, K, col.data(), K, wp.data(), y + m0 * g.Co, g.Co, false);
    }
  });
}

void Conv2DBackpropInput(const ConvGeom& g, const float* dy, const float* w, float* dx) {
  const int K = g.KH * g.KW * g.Ci;
  if (g.SH == 1 && g.SW == 1) {
    // Stride 1: the input gradient is a forward convolution of dy with the rotated, transposed filter.
    std::vector<float> wr((size_t)K * g.Co);
    for (int kh = 0; kh < g.KH; kh++)
      for (int kw = 0; kw < g.KW; kw++)
        for (int ci = 0; ci < g.Ci; ci++)
          for (int co = 0; co < g.Co; co++)
            wr[(((size_t)kh * g.KW + kw) * g.Co + co) * g.Ci + ci] = w[(((size_t)(g.KH - 1 - kh) * g.KW + (g.KW - 1 - kw)) * g.Ci + ci) * g.Co + co];
    ConvGeom t{g.N, g.OH, g.OW, g.Co, g.H, g.W, g.Ci, g.KH, g.KW, 1, 1, g.DH, g.DW, (g.KH - 1) * g.DH - g.PT, (g.KW - 1) * g.DW - g.PL};
    Conv2D(t, dy, wr.data(), dx);
    return;
  }
  // Strided: dcol = dy · Wᵀ per chunk, then scattered into dx. Patches of different output pixels
  // are disjoint when the kernel extent fits within the stride, so workers never collide.
  const long M = (long)g.N * g.OH * g.OW;
  std::vector<float> wp(PackedSize(g.Co, K));
  PackB(g.Co, K, w, g.Co, true, wp.data());
  std::memset(dx, 0, (size_t)g.N * g.H * g.W * g.Ci * sizeof(float));
  const bool disjoint = (g.KH - 1) * g.DH < g.SH && (g.KW - 1) * g.DW < g.SW;
  long chunks = (M + kChunk - 1) / kChunk;
  auto work = [&](long c0, long c1, int) {
    std::vector<float> col((size_t)kChunk * K);
    for (long c = c0; c < c1; c++) {
      long m0 = c * kChunk;
      int mc = (int)std::min<long>(kChunk, M - m0);
      GemmPacked(mc, K, g.Co, dy + m0 * g.Co, g.Co, wp.data(), col.data(), K, false);
      for (int i = 0; i < mc; i++) {
        long m = m0 + i;
        int ow = (int)(m % g.OW), oh = (int)((m / g.OW) % g.OH), n = (int)(m / ((long)g.OW * g.OH));
        const float* row = col.data() + (size_t)i * K;
        for (int kh = 0; kh < g.KH; kh++) {
          int ih = oh * g.SH - g.PT + kh * g.DH;
          for (int kw = 0; kw < g.KW; kw++, row += g.Ci) {
            int iw = ow * g.SW - g.PL + kw * g.DW;
            if (ih < 0 || ih >= g.H || iw < 0 || iw >= g.W) continue;
            float* d = dx + (((size_t)n * g.H + ih) * g.W + iw) * g.Ci;
            for (int ci = 0; ci < g.Ci; ci++) d[ci] += row[ci];
          }
        }
      }
    }
  };
  if (disjoint) ParallelFor(chunks, work);
  else work(0, chunks, 0);
}

// dWᵀ [Co × K] = Σ_chunks dyᵀ [Co × mc] · im2col [mc × K]: im2col rows are written contiguously
// and packed as the GEMM's B (a transposed im2col with scattered writes was 2–3× slower).
void Conv2DBackpropFilter(const ConvGeom& g, const float* x, const float* dy, float* dw) {
  const int K = g.KH * g.KW * g.Ci, chunk = 256;
  const long M = (long)g.N * g.OH * g.OW;
  long chunks = (M + chunk - 1) / chunk;
  int workers = (int)std::max<long>(1, std::min<long>(Threads(), chunks));
  std::vector<std::vector<float>> partial(workers, std::vector<float>((size_t)g.Co * K, 0.f));
  ParallelFor(chunks, [&](long c0, long c1, int worker) {
    float* acc = partial[worker].data();
    std::vector<float> col((size_t)chunk * K), colp(PackedSize(chunk, K)), dyT((size_t)g.Co * chunk);
    for (long c = c0; c < c1; c++) {
      long m0 = c * chunk;
      int mc = (int)std::min<long>(chunk, M - m0);
      for (int i = 0; i < mc; i++) Im2colRow(g, x, m0 + i, col.data() + (size_t)i * K);
      PackB(mc, K, col.data(), K, false, colp.data());
      const float* d = dy + m0 * g.Co;
      for (int i = 0; i < mc; i++)
        for (int co = 0; co < g.Co; co++) dyT[(size_t)co * mc + i] = d[(size_t)i * g.Co + co];
      GemmPacked(g.Co, K, mc, dyT.data(), mc, colp.data(), acc, K, true);
    }
  });
  for (size_t t = 1; t < partial.size(); t++)
    for (size_t i = 0; i < (size_t)K * g.Co; i++) partial[0][i] += partial[t][i];
  for (int co = 0; co < g.Co; co++)
    for (int k = 0; k < K; k++) dw[(size_t)k * g.Co + co] = partial[0][(size_t)co * K + k];
}

}  // namespace covseg
