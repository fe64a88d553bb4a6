// N-API surface (plain node_api.h): every function takes Float32Arrays the caller allocated and
// an Int32Array of geometry, and writes its result in place (no JS objects are created per call).
#include <node_api.h>
#include <algorithm>
#include <vector>
#include "kernels.h"

using namespace covseg;

static bool Throw(napi_env env, const char* msg) { napi_throw_error(env, nullptr, msg); return false; }

// Float32Array (or Int32Array) argument → data pointer and element count.
template <typename T>
static bool Typed(napi_env env, napi_value v, napi_typedarray_type want, T** data, size_t* len) {
  bool is = false;
  napi_is_typedarray(env, v, &is);
  if (!is) return Throw(env, "covseg_native: expected a typed array");
  napi_typedarray_type type;
  void* ptr;
  napi_get_typedarray_info(env, v, &type, len, &ptr, nullptr, nullptr);
  if (type != want) return Throw(env, "covseg_native: wrong typed array type");
  *data = static_cast<T*>(ptr);
  return true;
}

static bool Geom(napi_env env, napi_value v, ConvGeom* g) {
  int* a; size_t n;
  if (!Typed(env, v, napi_int32_array, &a, &n)) return false;
  if (n != 15) return Throw(env, "covseg_native: geometry needs 15 integers");
  *g = ConvGeom{a[0], a[1], a[2], a[3], a[4], a[5], a[6], a[7], a[8], a[9], a[10], a[11], a[12], a[13], a[14]};
  return true;
}

template <int N>
static bool Args(napi_env env, napi_callback_info info, napi_value* argv) {
  size_t argc = N;
  napi_get_cb_info(env, info, &argc, argv, nullptr, nullptr);
  if (argc < (size_t)N) return Throw(env, "covseg_native: missing arguments");
  return true;
}

// conv op(a, b, out, geom): sizes are checked against the geometry before touching memory.
typedef void (*ConvFn)(const ConvGeom&, const float*, const float*, float*);
template <ConvFn F, int Which>
static napi_value ConvCall(napi_env env, napi_callback_info info) {
  napi_value argv[4];
  if (!Args<4>(env, info, argv)) return nullptr;
  ConvGeom g; float *a, *b, *out; size_t na, nb, no;
  if (!Geom(env, argv[3], &g) || !Typed(env, argv[0], napi_float32_array, &a, &na) || !Typed(env, argv[1], napi_float32_array, &b, &nb) ||
      !Typed(env, argv[2], napi_float32_array, &out, &no)) return nullptr;
  size_t x = (size_t)g.N * g.H * g.W * g.Ci, y = (size_t)g.N * g.OH * g.OW * g.Co, w = (size_t)g.KH * g.KW * g.Ci * g.Co;
  size_t want[3][3] = {{x, w, y}, {y, w, x}, {x, y, w}};  // forward, backprop input, backprop filter
  if (na != want[Which][0] || nb != want[Which][1] || no != want[Which][2]) { Throw(env, "covseg_native: array sizes do not match the geometry"); return nullptr; }
  F(g, a, b, out);
  return nullptr;
}

// gemm(A[M×K], B[K×N], C[M×N], M, N, K): plain row-major product, for tests and benchmarks.
static napi_value Gemm(napi_env env, napi_callback_info info) {
  napi_value argv[4];
  if (!Args<4>(env, info, argv)) return nullptr;
  float *a, *b, *c; int* d; size_t na, nb, nc, nd;
  if (!Typed(env, argv[0], napi_float32_array, &a, &na) || !Typed(env, argv[1], napi_float32_array, &b, &nb) ||
      !Typed(env, argv[2], napi_float32_array, &c, &nc) || !Typed(env, argv[3], napi_int32_array, &d, &nd)) return nullptr;
  int M = d[0], N = d[1], K = d[2];
  if (nd != 3 || na != (size_t)M * K || nb != (size_t)K * N || nc != (size_t)M * N) { Throw(env, "covseg_native: gemm sizes"); return nullptr; }
  std::vector<float> bp(PackedSize(K, N));
  PackB(K, N, b, N, false, bp.data());
  ParallelFor((M + 5) / 6, [&](long r0, long r1, int) {
    int m0 = (int)r0 * 6, m1 = std::min(M, (int)r1 * 6);
    GemmPacked(m1 - m0, N, K, a + (size_t)m0 * K, K, bp.data(), c + (size_t)m0 * N, N, false);
  });
  return nullptr;
}

static napi_value Info(napi_env env, napi_callback_info) {
  napi_value obj, avx, th;
  napi_create_object(env, &obj);
  napi_get_boolean(env, HasAvx2(), &avx);
  napi_create_int32(env, Threads(), &th);
  napi_set_named_property(env, obj, "avx2", avx);
  napi_set_named_property(env, obj, "threads", th);
  return obj;
}

static napi_value SetThreadsJs(napi_env env, napi_callback_info info) {
  napi_value argv[1];
  if (!Args<1>(env, info, argv)) return nullptr;
  int n = 2;
  napi_get_value_int32(env, argv[0], &n);
  SetThreads(n);
  return nullptr;
}


void RegisterOps(napi_env env, napi_value exports);
void RegisterTrainOps(napi_env env, napi_value exports);

static napi_value Init(napi_env env, napi_value exports) {
  napi_property_descriptor props[] = {
      {"conv2d", nullptr, ConvCall<Conv2D, 0>, nullptr, nullptr, nullptr, napi_default, nullptr},
      {"conv2dBackpropInput", nullptr, ConvCall<Conv2DBackpropInput, 1>, nullptr, nullptr, nullptr, napi_default, nullptr},
      {"conv2dBackpropFilter", nullptr, ConvCall<Conv2DBackpropFilter, 2>, nullptr, nullptr, nullptr, napi_default, nullptr},
      {"gemm", nullptr, Gemm, nullptr, nullptr, nullptr, napi_default, nullptr},
      {"info", nullptr, Info, nullptr, nullptr, nullptr, napi_default, nullptr},
      {"setThreads", nullptr, SetThreadsJs, nullptr, nullptr, nullptr, napi_default, nullptr},
  };
  napi_define_properties(env, exports, sizeof(props) / sizeof(props[0]), props);
  RegisterOps(env, exports);
  RegisterTrainOps(env, exports);
  return exports;
}

NAPI_MODULE(NODE_GYP_MODULE_NAME, Init)
