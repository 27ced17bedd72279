// @dlm/native: float32 kernels over the tfjs wasm heap (a Float32Array view of the WebAssembly.Memory, passed
// as the first argument of every call; offsets and strides are in float32 elements of that view). Nothing is
// copied: operands are read and results written in place, and every range is checked against the view's length
// before any access (a RangeError otherwise).
//
// gemm: C_i = act(op(A_i)·op(B_i) [+ bias]) for i < batch, with cblas_sgemm (OpenBLAS on Linux, Accelerate on
// macOS), row-major; op(X) = Xᵀ when the flag is set. A_i = heap + aOff + i·aStride (stride 0 broadcasts).
// Activations (tf.fused.matMul names): 0 linear, 1 relu, 2 relu6, 3 elu, 4 sigmoid, 5 leakyrelu(alpha).
//
// Fused float32 loops of a transformer step (forward and the gradient's own kernel each), formulas at each function:
// GELU (tanh form), LayerNorm without affine over the last axis, softmax cross-entropy per row, and a sum over the
// middle axis of [outer, red, inner] (float64 accumulators), a gather of rows, one AdamW update, a transpose and a slice.
#include <node_api.h>

#include <cmath>
#include <cstdint>
#include <cstring>
#include <initializer_list>
#include <string>
#include <utility>
#include <vector>
#include <algorithm>

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

// The fused loops below share one argument pattern: (heap, ...element offsets and sizes (integers)[, real]).
template <size_t N>
bool Args(napi_env env, napi_callback_info info, const char* name, Heap* h, int64_t (&v)[N], double* real = nullptr) {
  const size_t want = N + 1 + (real ? 1 : 0);
  size_t argc = N + 2;
  napi_value argv[N + 2];
  napi_get_cb_info(env, info, &argc, argv, nullptr, nullptr);
  if (argc != want) {
    std::string msg = std::string("dlm_native.") + name + ": expected " + std::to_string(want) + " arguments";
    napi_throw_type_error(env, nullptr, msg.c_str());
    return false;
  }
  if (!GetHeap(env, argv[0], h) || !GetInts(env, argv, 1, N, v)) return false;
  if (real && napi_get_value_double(env, argv[N + 1], real) != napi_ok) {
    std::string msg = std::string("dlm_native.") + name + ": the last argument must be a number";
    napi_throw_type_error(env, nullptr, msg.c_str());
    return false;
  }
  return true;
}

bool Ranges(napi_env env, const char* name, const Heap& h, std::initializer_list<std::pair<int64_t, int64_t>> rs) {
  for (const auto& r : rs)
    if (!InHeap(h, r.first, 0, 1, r.second)) {
      std::string msg = std::string("dlm_native.") + name + ": an operand lies outside the heap view";
      return Fail(env, msg.c_str());
    }
  return true;
}

// GELU, tanh form, as packages/core/src/nn/gelu-tanh.ts: y = u·σ(z), z = u·(A + B·u²), A = 2√(2/π),
// B = 0.044715·A. dy/du = s + u·s·(1 − s)·(A + 3B·u²), s = σ(z).
constexpr float kGeluA = 1.5957691216057308f;
constexpr float kGeluB = 0.0713548162726009f;

// exp in float32 that the compiler vectorises (std::exp is a scalar libm call): e^x = 2^n·e^r, n = round(x/ln 2),
// r = x − n·ln 2 (ln 2 split in two for exactness), e^r by the Cephes expf polynomial (relative error ~2e-7 on
// |r| ≤ ln2/2). x is clamped to [−87.3, 88.7] (the float32 range of 2^n); NaN stays NaN.
inline float FastExp(float x) {
  x = x > 88.7f ? 88.7f : x;
  x = x < -87.3f ? -87.3f : x;
  // round to nearest by the 1.5·2^23 trick (floorf blocks gcc 12's vectoriser); |x/ln 2| < 2^22 after the clamp
  const float n = (x * 1.44269504088896341f + 12582912.f) - 12582912.f;
  const float r = x - n * 0.693359375f + n * 2.12194440e-4f;
  float p = 1.9875691500e-4f;
  p = p * r + 1.3981999507e-3f;
  p = p * r + 8.3334519073e-3f;
  p = p * r + 4.1665795894e-2f;
  p = p * r + 1.6666665459e-1f;
  p = p * r + 5.0000001201e-1f;
  p = p * r * r + r + 1.f;
  const int32_t bits = (static_cast<int32_t>(n) + 127) << 23;
  return p * __builtin_bit_cast(float, bits);
}

inline float Sigmoid(float z) { return 1.f / (1.f + FastExp(-z)); }

// geluTanh(heap, xOff, yOff, n)
napi_value GeluTanh(napi_env env, napi_callback_info info) {
  Heap h;
  int64_t v[3];
  if (!Args(env, info, "geluTanh", &h, v)) return nullptr;
  const int64_t n = v[2];
  if (!Ranges(env, "geluTanh", h, {{v[0], n}, {v[1], n}})) return nullptr;
  const float* __restrict x = h.data + v[0];
  float* __restrict y = h.data + v[1];
  for (int64_t i = 0; i < n; i++) {
    const float u = x[i];
    y[i] = u * Sigmoid(u * (kGeluA + kGeluB * u * u));
  }
  return Undefined(env);
}

// geluTanhGrad(heap, dyOff, xOff, dxOff, n): dx = dy · gelu'(x)
napi_value GeluTanhGrad(napi_env env, napi_callback_info info) {
  Heap h;
  int64_t v[4];
  if (!Args(env, info, "geluTanhGrad", &h, v)) return nullptr;
  const int64_t n = v[3];
  if (!Ranges(env, "geluTanhGrad", h, {{v[0], n}, {v[1], n}, {v[2], n}})) return nullptr;
  const float* __restrict dy = h.data + v[0];
  const float* __restrict x = h.data + v[1];
  float* __restrict dx = h.data + v[2];
  for (int64_t i = 0; i < n; i++) {
    const float u = x[i];
    const float u2 = u * u;
    const float s = Sigmoid(u * (kGeluA + kGeluB * u2));
    dx[i] = dy[i] * (s + u * s * (1.f - s) * (kGeluA + 3.f * kGeluB * u2));
  }
  return Undefined(env);
}

// LayerNorm over the last axis without affine (torch.nn.functional.layer_norm, biased variance):
// y = (x − μ)·r, r = 1/√(σ² + eps); per row of d values, statistics in float64.
// Gradient: dx = r·(dy − mean(dy) − ŷ·mean(dy·ŷ)), ŷ = (x − μ)·r.
void RowStats(const float* x, int64_t d, float eps, float* mean, float* rstd) {
  double s = 0;
  for (int64_t j = 0; j < d; j++) s += x[j];
  const double mu = s / static_cast<double>(d);
  double q = 0;
  for (int64_t j = 0; j < d; j++) {
    const double c = x[j] - mu;
    q += c * c;
  }
  *mean = static_cast<float>(mu);
  *rstd = static_cast<float>(1.0 / std::sqrt(q / static_cast<double>(d) + eps));
}

// layerNorm(heap, xOff, yOff, rows, d, eps)
napi_value LayerNorm(napi_env env, napi_callback_info info) {
  Heap h;
  int64_t v[4];
  double epsD = 0;
  if (!Args(env, info, "layerNorm", &h, v, &epsD)) return nullptr;
  const int64_t rows = v[2], d = v[3];
  const float eps = static_cast<float>(epsD);
  if (!Ranges(env, "layerNorm", h, {{v[0], rows * d}, {v[1], rows * d}})) return nullptr;
  for (int64_t r = 0; r < rows; r++) {
    const float* x = h.data + v[0] + r * d;
    float* y = h.data + v[1] + r * d;
    float mu, rs;
    RowStats(x, d, eps, &mu, &rs);
    for (int64_t j = 0; j < d; j++) y[j] = (x[j] - mu) * rs;
  }
  return Undefined(env);
}

// layerNormGrad(heap, dyOff, xOff, dxOff, rows, d, eps)
napi_value LayerNormGrad(napi_env env, napi_callback_info info) {
  Heap h;
  int64_t v[5];
  double epsD = 0;
  if (!Args(env, info, "layerNormGrad", &h, v, &epsD)) return nullptr;
  const int64_t rows = v[3], d = v[4];
  const float eps = static_cast<float>(epsD);
  if (!Ranges(env, "layerNormGrad", h, {{v[0], rows * d}, {v[1], rows * d}, {v[2], rows * d}})) return nullptr;
  for (int64_t r = 0; r < rows; r++) {
    const float* dy = h.data + v[0] + r * d;
    const float* x = h.data + v[1] + r * d;
    float* dx = h.data + v[2] + r * d;
    float mu, rs;
    RowStats(x, d, eps, &mu, &rs);
    double sdy = 0, sdyh = 0;
    for (int64_t j = 0; j < d; j++) {
      sdy += dy[j];
      sdyh += static_cast<double>(dy[j]) * ((x[j] - mu) * rs);
    }
    const float mdy = static_cast<float>(sdy / static_cast<double>(d));
    const float mdyh = static_cast<float>(sdyh / static_cast<double>(d));
    for (int64_t j = 0; j < d; j++) dx[j] = rs * (dy[j] - mdy - (x[j] - mu) * rs * mdyh);
  }
  return Undefined(env);
}

// Softmax cross-entropy per row of logits z [rows, v] with int32 targets t [rows] (on the same heap):
// nll = logΣexp(z) − z[t] (max subtracted first). Gradient: dz = dnll·(softmax(z) − onehot(t)).
// A target outside [0, v) gives NaN (its row's nll and gradient), never a read outside the row.
double LogSumExp(const float* z, int64_t v, float* zmax) {
  float m = z[0];
  for (int64_t j = 1; j < v; j++) m = z[j] > m ? z[j] : m;
  // Eight float partial sums (a vectorisable order), added in float64 at the end.
  float part[8] = {0, 0, 0, 0, 0, 0, 0, 0};
  int64_t j = 0;
  for (; j + 8 <= v; j += 8)
    for (int l = 0; l < 8; l++) part[l] += FastExp(z[j + l] - m);
  double s = 0;
  for (; j < v; j++) s += FastExp(z[j] - m);
  for (int l = 0; l < 8; l++) s += part[l];
  *zmax = m;
  return std::log(s);
}

// softmaxCrossEntropy(heap, zOff, tOff, nllOff, rows, v)
napi_value SoftmaxCrossEntropy(napi_env env, napi_callback_info info) {
  Heap h;
  int64_t a[5];
  if (!Args(env, info, "softmaxCrossEntropy", &h, a)) return nullptr;
  const int64_t rows = a[3], v = a[4];
  if (v < 1 || !Ranges(env, "softmaxCrossEntropy", h, {{a[0], rows * v}, {a[1], rows}, {a[2], rows}})) return nullptr;
  const int32_t* t = reinterpret_cast<const int32_t*>(h.data + a[1]);
  for (int64_t r = 0; r < rows; r++) {
    const float* z = h.data + a[0] + r * v;
    float m;
    const double lse = LogSumExp(z, v, &m);
    const int32_t k = t[r];
    h.data[a[2] + r] = (k >= 0 && k < v) ? static_cast<float>(lse - (z[k] - m)) : NAN;
  }
  return Undefined(env);
}

// softmaxCrossEntropyGrad(heap, dnllOff, zOff, tOff, dzOff, rows, v)
napi_value SoftmaxCrossEntropyGrad(napi_env env, napi_callback_info info) {
  Heap h;
  int64_t a[6];
  if (!Args(env, info, "softmaxCrossEntropyGrad", &h, a)) return nullptr;
  const int64_t rows = a[4], v = a[5];
  if (v < 1 ||
      !Ranges(env, "softmaxCrossEntropyGrad", h, {{a[0], rows}, {a[1], rows * v}, {a[2], rows}, {a[3], rows * v}}))
    return nullptr;
  const int32_t* t = reinterpret_cast<const int32_t*>(h.data + a[2]);
  for (int64_t r = 0; r < rows; r++) {
    const float* z = h.data + a[1] + r * v;
    float* dz = h.data + a[3] + r * v;
    const float g = h.data[a[0] + r];
    float m;
    const float lse = static_cast<float>(LogSumExp(z, v, &m));
    const int32_t k = t[r];
    if (k < 0 || k >= v) {
      for (int64_t j = 0; j < v; j++) dz[j] = NAN;
      continue;
    }
    for (int64_t j = 0; j < v; j++) dz[j] = g * FastExp(z[j] - m - lse);
    dz[k] -= g;
  }
  return Undefined(env);
}

// sumMiddle(heap, xOff, yOff, outer, red, inner): y[o, i] = Σ_r x[o, r, i], float64 accumulators.
napi_value SumMiddle(napi_env env, napi_callback_info info) {
  Heap h;
  int64_t a[5];
  if (!Args(env, info, "sumMiddle", &h, a)) return nullptr;
  const int64_t outer = a[2], red = a[3], inner = a[4];
  if (!Ranges(env, "sumMiddle", h, {{a[0], outer * red * inner}, {a[1], outer * inner}})) return nullptr;
  std::vector<double> acc(static_cast<size_t>(inner));
  for (int64_t o = 0; o < outer; o++) {
    std::fill(acc.begin(), acc.end(), 0.0);
    const float* x = h.data + a[0] + o * red * inner;
    if (inner == 1) {
      double s = 0;
      for (int64_t r = 0; r < red; r++) s += x[r];
      acc[0] = s;
    } else {
      for (int64_t r = 0; r < red; r++) {
        const float* row = x + r * inner;
        for (int64_t i = 0; i < inner; i++) acc[i] += row[i];
      }
    }
    float* y = h.data + a[1] + o * inner;
    for (int64_t i = 0; i < inner; i++) y[i] = static_cast<float>(acc[i]);
  }
  return Undefined(env);
}

// gather(heap, xOff, idxOff, yOff, outer, n, inner, count): y[o, c, :] = x[o, idx[c], :] for x [outer, n, inner],
// int32 idx [count] (same heap), y [outer, count, inner]. Every index is checked first (RangeError outside [0, n)).
napi_value Gather(napi_env env, napi_callback_info info) {
  Heap h;
  int64_t a[7];
  if (!Args(env, info, "gather", &h, a)) return nullptr;
  const int64_t outer = a[3], n = a[4], inner = a[5], count = a[6];
  if (!Ranges(env, "gather", h, {{a[0], outer * n * inner}, {a[1], count}, {a[2], outer * count * inner}}))
    return nullptr;
  const int32_t* idx = reinterpret_cast<const int32_t*>(h.data + a[1]);
  for (int64_t c = 0; c < count; c++)
    if (idx[c] < 0 || idx[c] >= n) {
      std::string msg = "dlm_native.gather: index " + std::to_string(idx[c]) + " is outside [0, " +
                        std::to_string(n) + ")";
      Fail(env, msg.c_str());
      return nullptr;
    }
  for (int64_t o = 0; o < outer; o++)
    for (int64_t c = 0; c < count; c++)
      std::memcpy(h.data + a[2] + (o * count + c) * inner, h.data + a[0] + (o * n + idx[c]) * inner,
                  sizeof(float) * inner);
  return Undefined(env);
}

// adamw(heap, pOff, mOff, vOff, gOff, pOutOff, mOutOff, vOutOff, n, beta1, beta2, eps, bc2Sqrt, stepSize, decay):
// one AdamW update in the float32 operation order of packages/core/src/optim/adamw.ts (torch.optim.AdamW):
//   m' = m·β1 + g·(1 − β1);  v' = v·β2 + g²·(1 − β2);  p' = p·decay − (m' / (√v' / bc2Sqrt + eps))·stepSize.
napi_value AdamW(napi_env env, napi_callback_info info) {
  size_t argc = 16;
  napi_value argv[16];
  napi_get_cb_info(env, info, &argc, argv, nullptr, nullptr);
  if (argc != 16) {
    napi_throw_type_error(env, nullptr, "dlm_native.adamw: expected 16 arguments");
    return nullptr;
  }
  Heap h;
  int64_t a[8];
  if (!GetHeap(env, argv[0], &h) || !GetInts(env, argv, 1, 8, a)) return nullptr;
  double r[7];
  for (int i = 0; i < 7; i++)
    if (napi_get_value_double(env, argv[9 + i], &r[i]) != napi_ok) {
      napi_throw_type_error(env, nullptr, "dlm_native.adamw: the hyperparameters must be numbers");
      return nullptr;
    }
  const int64_t n = a[7];
  if (!Ranges(env, "adamw", h, {{a[0], n}, {a[1], n}, {a[2], n}, {a[3], n}, {a[4], n}, {a[5], n}, {a[6], n}}))
    return nullptr;
  const float b1 = static_cast<float>(r[0]), b2 = static_cast<float>(r[1]), eps = static_cast<float>(r[2]);
  const float bc2 = static_cast<float>(r[3]), step = static_cast<float>(r[4]), decay = static_cast<float>(r[5]);
  const float c1 = static_cast<float>(1 - r[0]), c2 = static_cast<float>(1 - r[1]);
  const bool decays = r[6] != 0;
  const float* p = h.data + a[0];
  const float* m = h.data + a[1];
  const float* v = h.data + a[2];
  const float* g = h.data + a[3];
  float* po = h.data + a[4];
  float* mo = h.data + a[5];
  float* vo = h.data + a[6];
  for (int64_t i = 0; i < n; i++) {
    const float mi = m[i] * b1 + g[i] * c1;
    const float vi = v[i] * b2 + (g[i] * g[i]) * c2;
    const float denom = std::sqrt(vi) / bc2 + eps;
    const float base = decays ? p[i] * decay : p[i];
    po[i] = base - (mi / denom) * step;
    mo[i] = mi;
    vo[i] = vi;
  }
  return Undefined(env);
}

// Copies n values into y in order from x, walking x with per-axis strides os over the shape od (rank ≤ 6),
// starting at x[src]. With rows, the last axis is contiguous in x: whole runs of od[rank−1] values are memcpy'd.
// Transpose (os = x's strides permuted) and Slice (os = x's strides, src = the begin offset) are both this walk.
void StridedCopy(const float* x, float* y, int64_t n, int64_t rank, const int64_t* od, const int64_t* os,
                 int64_t src, bool rows) {
  const int64_t inner = rows ? od[rank - 1] : 1;
  const int64_t outerRank = rows ? rank - 1 : rank;
  int64_t idx[6] = {0, 0, 0, 0, 0, 0};
  for (int64_t o = 0; o < n; o += inner) {
    if (rows)
      std::memcpy(y + o, x + src, sizeof(float) * inner);
    else
      y[o] = x[src];
    for (int64_t ax = outerRank - 1; ax >= 0; ax--) {  // odometer over y's (outer) axes
      src += os[ax];
      if (++idx[ax] < od[ax]) break;
      src -= os[ax] * od[ax];
      idx[ax] = 0;
    }
  }
}

// transpose(heap, xOff, yOff, rank, d0..d5, p0..p5): y = x permuted (y's axis i is x's axis p[i]) for rank ≤ 6,
// 4-byte elements. Walks y in order; when the last axis stays last, whole rows of d[rank−1] values are copied.
napi_value Transpose(napi_env env, napi_callback_info info) {
  Heap h;
  int64_t a[15];
  if (!Args(env, info, "transpose", &h, a)) return nullptr;
  const int64_t rank = a[2];
  if (rank < 1 || rank > 6) {
    Fail(env, "dlm_native.transpose: rank must be in [1, 6]");
    return nullptr;
  }
  int64_t d[6], p[6], stride[6], n = 1;
  bool seen[6] = {false, false, false, false, false, false};
  for (int64_t i = 0; i < rank; i++) {
    d[i] = a[3 + i];
    p[i] = a[9 + i];
    if (d[i] < 0 || p[i] < 0 || p[i] >= rank || seen[p[i]]) {
      Fail(env, "dlm_native.transpose: dims must be ≥ 0 and perm a permutation of [0, rank)");
      return nullptr;
    }
    seen[p[i]] = true;
    n *= d[i];
  }
  if (!Ranges(env, "transpose", h, {{a[0], n}, {a[1], n}})) return nullptr;
  if (n == 0) return Undefined(env);
  stride[rank - 1] = 1;
  for (int64_t i = rank - 2; i >= 0; i--) stride[i] = stride[i + 1] * d[i + 1];
  // y's shape and, per y axis, the x stride it walks
  int64_t od[6], os[6];
  for (int64_t i = 0; i < rank; i++) {
    od[i] = d[p[i]];
    os[i] = stride[p[i]];
  }
  StridedCopy(h.data + a[0], h.data + a[1], n, rank, od, os, 0, p[rank - 1] == rank - 1);
  return Undefined(env);
}

// slice(heap, xOff, yOff, rank, d0..d5, b0..b5, s0..s5): y = x[b0:b0+s0, …] for rank ≤ 6, 4-byte elements;
// whole runs of s[rank−1] values copied at a time.
napi_value Slice(napi_env env, napi_callback_info info) {
  Heap h;
  int64_t a[21];
  if (!Args(env, info, "slice", &h, a)) return nullptr;
  const int64_t rank = a[2];
  if (rank < 1 || rank > 6) {
    Fail(env, "dlm_native.slice: rank must be in [1, 6]");
    return nullptr;
  }
  int64_t d[6], b[6], z[6], stride[6], nx = 1, ny = 1;
  for (int64_t i = 0; i < rank; i++) {
    d[i] = a[3 + i];
    b[i] = a[9 + i];
    z[i] = a[15 + i];
    if (d[i] < 0 || b[i] < 0 || z[i] < 0 || b[i] + z[i] > d[i]) {
      Fail(env, "dlm_native.slice: begin and size must lie inside the dims");
      return nullptr;
    }
    nx *= d[i];
    ny *= z[i];
  }
  if (!Ranges(env, "slice", h, {{a[0], nx}, {a[1], ny}})) return nullptr;
  if (ny == 0) return Undefined(env);
  stride[rank - 1] = 1;
  for (int64_t i = rank - 2; i >= 0; i--) stride[i] = stride[i + 1] * d[i + 1];
  int64_t src = 0;
  for (int64_t i = 0; i < rank; i++) src += b[i] * stride[i];
  StridedCopy(h.data + a[0], h.data + a[1], ny, rank, z, stride, src, true);
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
      {"geluTanh", nullptr, GeluTanh, nullptr, nullptr, nullptr, napi_default, nullptr},
      {"geluTanhGrad", nullptr, GeluTanhGrad, nullptr, nullptr, nullptr, napi_default, nullptr},
      {"layerNorm", nullptr, LayerNorm, nullptr, nullptr, nullptr, napi_default, nullptr},
      {"layerNormGrad", nullptr, LayerNormGrad, nullptr, nullptr, nullptr, napi_default, nullptr},
      {"softmaxCrossEntropy", nullptr, SoftmaxCrossEntropy, nullptr, nullptr, nullptr, napi_default, nullptr},
      {"softmaxCrossEntropyGrad", nullptr, SoftmaxCrossEntropyGrad, nullptr, nullptr, nullptr, napi_default, nullptr},
      {"sumMiddle", nullptr, SumMiddle, nullptr, nullptr, nullptr, napi_default, nullptr},
      {"gather", nullptr, Gather, nullptr, nullptr, nullptr, napi_default, nullptr},
      {"adamw", nullptr, AdamW, nullptr, nullptr, nullptr, napi_default, nullptr},
      {"transpose", nullptr, Transpose, nullptr, nullptr, nullptr, napi_default, nullptr},
      {"slice", nullptr, Slice, nullptr, nullptr, nullptr, napi_default, nullptr},
  };
  napi_define_properties(env, exports, sizeof(props) / sizeof(props[0]), props);
  return exports;
}

}  // namespace

NAPI_MODULE(NODE_GYP_MODULE_NAME, Init)
