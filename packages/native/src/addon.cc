// @dlm/native: float32 kernels over the tfjs wasm heap (a Float32Array view of the WebAssembly.Memory, passed
// as the first argument of every call; offsets and strides are in float32 elements of that view). Nothing is
// copied: operands are read and results written in place, and every range is checked against the view's length
// before any access (a RangeError otherwise).
//
// gemm: C_i = act(op(A_i)·op(B_i) [+ bias]) for i < batch, with cblas_sgemm (OpenBLAS on Linux, Accelerate on
// macOS), row-major; op(X) = Xᵀ when the flag is set. A_i = heap + aOff + i·aStride (stride 0 broadcasts).
// Activations (tf.fused.matMul names): 0 linear, 1 relu, 2 relu6, 3 elu, 4 sigmoid, 5 leakyrelu(alpha).
#include <node_api.h>

#include <cmath>
#include <cstdint>
#include <cstring>
#include <string>

#if defined(DLM_ACCELERATE)
#include <Accelerate/Accelerate.h>
#else
#include <cblas.h>
extern "C" {
void openblas_set_num_threads(int num_threads);
int openblas_get_num_threads(void);
char* openblas_get_config(void);
}
#endif

namespace {

struct Heap {
  float* data = nullptr;
  int64_t length = 0;  // in float32 elements
};

bool Fail(napi_env env, const char* msg) {
  napi_throw_range_error(env, nullptr, msg);
  return false;
}

bool GetHeap(napi_env env, napi_value v, Heap* heap) {
  bool is_typed = false;
  napi_is_typedarray(env, v, &is_typed);
  if (!is_typed) return Fail(env, "dlm_native: argument 0 must be a Float32Array view of the wasm heap");
  napi_typedarray_type type;
  size_t length = 0;
  void* data = nullptr;
  if (napi_get_typedarray_info(env, v, &type, &length, &data, nullptr, nullptr) != napi_ok ||
      type != napi_float32_array || data == nullptr)
    return Fail(env, "dlm_native: argument 0 must be a Float32Array view of the wasm heap");
  heap->data = static_cast<float*>(data);
  heap->length = static_cast<int64_t>(length);
  return true;
}

bool GetInts(napi_env env, napi_value* argv, size_t from, size_t count, int64_t* out) {
  for (size_t i = 0; i < count; i++) {
    double d = 0;
    if (napi_get_value_double(env, argv[from + i], &d) != napi_ok || !std::isfinite(d) || d != std::floor(d)) {
      std::string msg = "dlm_native: argument " + std::to_string(from + i) + " must be an integer";
      napi_throw_type_error(env, nullptr, msg.c_str());
      return false;
    }
    out[i] = static_cast<int64_t>(d);
  }
  return true;
}

/** True when [off + i·stride, off + i·stride + size) lies inside the heap for every i < batch. */
bool InHeap(const Heap& h, int64_t off, int64_t stride, int64_t batch, int64_t size) {
  if (off < 0 || stride < 0 || size < 0 || batch < 1) return false;
  const int64_t last = off + (batch - 1) * stride + size;
  return last <= h.length;
}

napi_value Undefined(napi_env env) {
  napi_value u;
  napi_get_undefined(env, &u);
  return u;
}

void Activate(float* c, int64_t n, int act, float alpha) {
  switch (act) {
    case 1:
      for (int64_t i = 0; i < n; i++) c[i] = c[i] > 0.f ? c[i] : 0.f;
      break;
    case 2:
      for (int64_t i = 0; i < n; i++) c[i] = c[i] < 0.f ? 0.f : (c[i] > 6.f ? 6.f : c[i]);
      break;
    case 3:
      for (int64_t i = 0; i < n; i++) c[i] = c[i] >= 0.f ? c[i] : std::expm1(c[i]);
      break;
    case 4:
      for (int64_t i = 0; i < n; i++) c[i] = 1.f / (1.f + std::exp(-c[i]));
      break;
    case 5:
      for (int64_t i = 0; i < n; i++) c[i] = c[i] >= 0.f ? c[i] : alpha * c[i];
      break;
    default:
      break;
  }
}

// gemm(heap, batch, m, n, k, transA, transB, aOff, aStride, bOff, bStride, cOff, cStride, biasOff, biasLen, act,
//      alpha). biasOff < 0: no bias; biasLen is 1 (scalar) or n (one value per column, every row).
napi_value Gemm(napi_env env, napi_callback_info info) {
  size_t argc = 17;
  napi_value argv[17];
  napi_get_cb_info(env, info, &argc, argv, nullptr, nullptr);
  if (argc != 17) {
    napi_throw_type_error(env, nullptr, "dlm_native.gemm: expected 17 arguments");
    return nullptr;
  }
  Heap h;
  if (!GetHeap(env, argv[0], &h)) return nullptr;
  int64_t v[15];
  if (!GetInts(env, argv, 1, 15, v)) return nullptr;
  double alpha = 0;
  napi_get_value_double(env, argv[16], &alpha);
  const int64_t batch = v[0], m = v[1], n = v[2], k = v[3];
  const bool ta = v[4] != 0, tb = v[5] != 0;
  const int64_t aOff = v[6], aStride = v[7], bOff = v[8], bStride = v[9], cOff = v[10], cStride = v[11];
  const int64_t biasOff = v[12], biasLen = v[13];
  const int act = static_cast<int>(v[14]);
  if (batch < 1 || m < 1 || n < 1 || k < 1 || m > INT32_MAX || n > INT32_MAX || k > INT32_MAX) {
    Fail(env, "dlm_native.gemm: batch, m, n, k must be ≥ 1 and fit in int32");
    return nullptr;
  }
  if (!InHeap(h, aOff, aStride, batch, m * k) || !InHeap(h, bOff, bStride, batch, k * n) ||
      !InHeap(h, cOff, cStride, batch, m * n) || cStride < m * n) {
    Fail(env, "dlm_native.gemm: an operand lies outside the heap view");
    return nullptr;
  }
  const bool hasBias = biasOff >= 0;
  if (hasBias && ((biasLen != 1 && biasLen != n) || !InHeap(h, biasOff, 0, 1, biasLen))) {
    Fail(env, "dlm_native.gemm: bias must hold 1 or n values inside the heap view");
    return nullptr;
  }
  if (act < 0 || act > 5) {
    Fail(env, "dlm_native.gemm: activation code must be in [0, 5]");
    return nullptr;
  }
  const int M = static_cast<int>(m), N = static_cast<int>(n), K = static_cast<int>(k);
  for (int64_t i = 0; i < batch; i++) {
    const float* a = h.data + aOff + i * aStride;
    const float* b = h.data + bOff + i * bStride;
    float* c = h.data + cOff + i * cStride;
    float beta = 0.f;
    if (hasBias) {
      const float* bias = h.data + biasOff;
      for (int64_t r = 0; r < m; r++) {
        float* row = c + r * n;
        if (biasLen == 1)
          for (int64_t j = 0; j < n; j++) row[j] = bias[0];
        else
          std::memcpy(row, bias, sizeof(float) * n);
      }
      beta = 1.f;
    }
    cblas_sgemm(CblasRowMajor, ta ? CblasTrans : CblasNoTrans, tb ? CblasTrans : CblasNoTrans, M, N, K, 1.f, a,
                ta ? M : K, b, tb ? K : N, beta, c, N);
    Activate(c, m * n, act, static_cast<float>(alpha));
  }
  return Undefined(env);
}

napi_value SetThreads(napi_env env, napi_callback_info info) {
  size_t argc = 1;
  napi_value argv[1];
  napi_get_cb_info(env, info, &argc, argv, nullptr, nullptr);
  int64_t n = 0;
  if (argc != 1 || !GetInts(env, argv, 0, 1, &n)) return nullptr;
  if (n < 1 || n > 1024) {
    Fail(env, "dlm_native.setThreads: thread count must be in [1, 1024]");
    return nullptr;
  }
#if !defined(DLM_ACCELERATE)
  openblas_set_num_threads(static_cast<int>(n));
#endif
  return Undefined(env);
}

napi_value GetThreads(napi_env env, napi_callback_info) {
  napi_value out;
#if defined(DLM_ACCELERATE)
  napi_create_int32(env, 0, &out);  // Accelerate chooses its own threads
#else
  napi_create_int32(env, openblas_get_num_threads(), &out);
#endif
  return out;
}

napi_value BlasInfo(napi_env env, napi_callback_info) {
  napi_value out;
#if defined(DLM_ACCELERATE)
  const char* s = "Accelerate";
#else
  const char* s = openblas_get_config();
#endif
  napi_create_string_utf8(env, s, NAPI_AUTO_LENGTH, &out);
  return out;
}

napi_value Init(napi_env env, napi_value exports) {
  const napi_property_descriptor props[] = {
      {"gemm", nullptr, Gemm, nullptr, nullptr, nullptr, napi_default, nullptr},
      {"setThreads", nullptr, SetThreads, nullptr, nullptr, nullptr, napi_default, nullptr},
      {"getThreads", nullptr, GetThreads, nullptr, nullptr, nullptr, napi_default, nullptr},
      {"blasInfo", nullptr, BlasInfo, nullptr, nullptr, nullptr, napi_default, nullptr},
  };
  napi_define_properties(env, exports, sizeof(props) / sizeof(props[0]), props);
  return exports;
}

}  // namespace

NAPI_MODULE(NODE_GYP_MODULE_NAME, Init)
