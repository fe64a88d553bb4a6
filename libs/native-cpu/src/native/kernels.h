// Shared declarations of the covseg native CPU kernels (all float32, NHWC / row-major).
#pragma once
#include <cstddef>
#include <functional>

namespace covseg {

// Geometry of a 2D convolution, NHWC input [N,H,W,Ci], filter [KH,KW,Ci,Co], output [N,OH,OW,Co].
struct ConvGeom {
  int N, H, W, Ci, OH, OW, Co, KH, KW, SH, SW, DH, DW, PT, PL;
};

constexpr int kNR = 16;  // micro-kernel width (columns of a packed B panel)

bool HasAvx2();
int Threads();
void SetThreads(int n);
// Runs fn(begin, end, worker) over [0, n) split into contiguous ranges, one per worker thread.
void ParallelFor(long n, const std::function<void(long, long, int)>& fn);

// Packs B [K×N] (row-major, ldb; or B^T given when trans) into zero-padded panels of kNR columns.
void PackB(int K, int N, const float* B, int ldb, bool trans, float* packed);
inline size_t PackedSize(int K, int N) { return (size_t)K * ((N + kNR - 1) / kNR) * kNR; }
// C [M×N] (+)= A [M×K] (row-major, lda) · packed B; single-threaded.
void GemmPacked(int M, int N, int K, const float* A, int lda, const float* Bp, float* C, int ldc, bool accumulate);

void Conv2D(const ConvGeom& g, const float* x, const float* w, float* y);
void Conv2DBackpropInput(const ConvGeom& g, const float* dy, const float* w, float* dx);
void Conv2DBackpropFilter(const ConvGeom& g, const float* x, const float* dy, float* dw);

}  // namespace covseg
