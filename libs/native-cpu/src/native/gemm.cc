// Packed SGEMM: a 6×16 micro-kernel (AVX2/FMA when the CPU has it, chosen at run time; portable
// scalar otherwise). B is packed once per call site; A is read in place (im2col rows).
#include <immintrin.h>
#include <algorithm>
#include <cstdlib>
#include <cstring>
#include <condition_variable>
#include <mutex>
#include <thread>
#include <vector>
#include "kernels.h"

namespace covseg {

static const bool kAvx2 = __builtin_cpu_supports("avx2") && __builtin_cpu_supports("fma");
// Until the caller sets it (selectBackend passes the config's pipeline.threads): the env override,
// else the hardware threads.
static int g_threads = [] {
  const char* e = std::getenv("COVSEG_NATIVE_THREADS");
  int n = e ? std::atoi(e) : (int)std::thread::hardware_concurrency();
  return n > 0 ? n : 1;
}();

bool HasAvx2() { return kAvx2; }
int Threads() { return g_threads; }
void SetThreads(int n) { g_threads = n > 0 ? n : 1; }

namespace {

// Persistent workers (a training step makes hundreds of parallel calls; starting threads for each
// cost more than the small ones do). Worker i runs part i of the current job; the caller runs part 0.
class Pool {
 public:
  void Run(long n, int t, const std::function<void(long, long, int)>& fn) {
    std::unique_lock<std::mutex> lock(mu_);
    while ((int)workers_.size() < t - 1) {
      int idx = (int)workers_.size() + 1;
      workers_.emplace_back([this, idx] { Loop(idx); });
    }
    job_ = &fn; n_ = n; t_ = t; pending_ = t - 1; gen_++;
    lock.unlock();
    wake_.notify_all();
    fn(0, n / t, 0);
    lock.lock();
    done_.wait(lock, [this] { return pending_ == 0; });
    job_ = nullptr;
  }

 private:
  void Loop(int idx) {
    long seen = 0;
    std::unique_lock<std::mutex> lock(mu_);
    for (;;) {
      wake_.wait(lock, [&] { return gen_ != seen; });
      seen = gen_;
      if (idx >= t_) continue;  // this job uses fewer workers
      const auto* fn = job_;
      long n = n_;
      int t = t_;
      lock.unlock();
      (*fn)(n * idx / t, n * (idx + 1) / t, idx);
      lock.lock();
      if (--pending_ == 0) done_.notify_one();
    }
  }
  std::mutex mu_;
  std::condition_variable wake_, done_;
  std::vector<std::thread> workers_;
  const std::function<void(long, long, int)>* job_ = nullptr;
  long n_ = 0, gen_ = 0;
  int t_ = 0, pending_ = 0;
};

// Never destroyed: its threads wait forever and end with the process.
Pool& ThePool() { static Pool* p = new Pool(); return *p; }
thread_local bool t_inWorker = false;
std::mutex g_runMu;  // one parallel job at a time (JS calls are on one thread; this guards other callers)

}  // namespace

void ParallelFor(long n, const std::function<void(long, long, int)>& fn) {
  int t = (int)std::min<long>(g_threads, n);
  if (t <= 1 || t_inWorker) { if (n > 0) fn(0, n, 0); return; }
  std::lock_guard<std::mutex> run(g_runMu);
  ThePool().Run(n, t, [&](long b, long e, int w) { t_inWorker = true; fn(b, e, w); t_inWorker = false; });
}

void PackB(int K, int N, const float* B, int ldb, bool trans, float* packed) {
  int panels = (N + kNR - 1) / kNR;
  for (int p = 0; p < panels; p++) {
    float* dst = packed + (size_t)p * K * kNR;
    int n0 = p * kNR, nr = std::min(kNR, N - n0);
    for (int k = 0; k < K; k++) {
      float* d = dst + (size_t)k * kNR;
      if (!trans) {
        std::memcpy(d, B + (size_t)k * ldb + n0, nr * sizeof(float));
      } else {
        for (int j = 0; j < nr; j++) d[j] = B[(size_t)(n0 + j) * ldb + k];
      }
      for (int j = nr; j < kNR; j++) d[j] = 0.f;
    }
  }
}

template <int MR>
__attribute__((target("avx2,fma"))) static void KernelAvx2(int kc, const float* A, int lda, const float* Bp, float* C, int ldc, int nr, bool acc) {
  __m256 c0[MR], c1[MR];
  for (int r = 0; r < MR; r++) c0[r] = c1[r] = _mm256_setzero_ps();
  for (int k = 0; k < kc; k++) {
    __m256 b0 = _mm256_loadu_ps(Bp + k * kNR), b1 = _mm256_loadu_ps(Bp + k * kNR + 8);
    for (int r = 0; r < MR; r++) {
      __m256 a = _mm256_broadcast_ss(A + (size_t)r * lda + k);
      c0[r] = _mm256_fmadd_ps(a, b0, c0[r]);
      c1[r] = _mm256_fmadd_ps(a, b1, c1[r]);
    }
  }
  for (int r = 0; r < MR; r++) {
    float* c = C + (size_t)r * ldc;
    if (nr == kNR) {
      if (acc) { c0[r] = _mm256_add_ps(c0[r], _mm256_loadu_ps(c)); c1[r] = _mm256_add_ps(c1[r], _mm256_loadu_ps(c + 8)); }
      _mm256_storeu_ps(c, c0[r]);
      _mm256_storeu_ps(c + 8, c1[r]);
    } else {
      alignas(32) float t[kNR];
      _mm256_store_ps(t, c0[r]);
      _mm256_store_ps(t + 8, c1[r]);
      for (int j = 0; j < nr; j++) c[j] = acc ? c[j] + t[j] : t[j];
    }
  }
}

template <int MR>
static void KernelScalar(int kc, const float* A, int lda, const float* Bp, float* C, int ldc, int nr, bool acc) {
  float c[MR][kNR] = {};
  for (int k = 0; k < kc; k++) {
    const float* b = Bp + k * kNR;
    for (int r = 0; r < MR; r++) {
      float a = A[(size_t)r * lda + k];
      for (int j = 0; j < kNR; j++) c[r][j] += a * b[j];
    }
  }
  for (int r = 0; r < MR; r++)
    for (int j = 0; j < nr; j++) C[(size_t)r * ldc + j] = acc ? C[(size_t)r * ldc + j] + c[r][j] : c[r][j];
}

typedef void (*Kernel)(int, const float*, int, const float*, float*, int, int, bool);
static const Kernel kAvxKernels[7] = {nullptr, KernelAvx2<1>, KernelAvx2<2>, KernelAvx2<3>, KernelAvx2<4>, KernelAvx2<5>, KernelAvx2<6>};
static const Kernel kScalarKernels[7] = {nullptr, KernelScalar<1>, KernelScalar<2>, KernelScalar<3>, KernelScalar<4>, KernelScalar<5>, KernelScalar<6>};

void GemmPacked(int M, int N, int K, const float* A, int lda, const float* Bp, float* C, int ldc, bool accumulate) {
  const Kernel* kernels = kAvx2 ? kAvxKernels : kScalarKernels;
  const int KC = 256, MR = 6;
  int panels = (N + kNR - 1) / kNR;
  if (K == 0) {
    if (!accumulate) for (int i = 0; i < M; i++) std::fill(C + (size_t)i * ldc, C + (size_t)i * ldc + N, 0.f);
    return;
  }
  for (int k0 = 0; k0 < K; k0 += KC) {
    int kc = std::min(KC, K - k0);
    bool acc = accumulate || k0 > 0;
    for (int i = 0; i < M; i += MR) {
      int mr = std::min(MR, M - i);
      for (int p = 0; p < panels; p++) {
        int nr = std::min(kNR, N - p * kNR);
        kernels[mr](kc, A + (size_t)i * lda + k0, lda, Bp + (size_t)p * K * kNR + (size_t)k0 * kNR, C + (size_t)i * ldc + p * kNR, ldc, nr, acc);
      }
    }
  }
}

}  // namespace covseg
