// GELU, tanh form, as packages/core/src/nn/gelu-tanh.ts: y = u·σ(z), z = u·(A + B·u²), A = 2√(2/π),
// B = 0.044715·A. dy/du = s + u·s·(1 − s)·(A + 3B·u²), s = σ(z). Element-wise, split over the pool.
#include "fast-exp.h"
#include "heap-args.h"
#include "kernels.h"
#include "pool.h"

namespace dlm {
namespace {
constexpr float kGeluA = 1.5957691216057308f;
constexpr float kGeluB = 0.0713548162726009f;
}  // namespace

// geluTanh(heap, xOff, yOff, n)
napi_value GeluTanh(napi_env env, napi_callback_info info) {
  Heap h;
  int64_t v[3];
  if (!Args(env, info, "geluTanh", &h, v)) return nullptr;
  const int64_t n = v[2];
  if (!Ranges(env, "geluTanh", h, {{v[0], n}, {v[1], n}})) return nullptr;
  const float* x = h.data + v[0];
  float* y = h.data + v[1];
  ParallelFor(n, kMinElements, [&](int64_t i0, int64_t i1) {
    for (int64_t i = i0; i < i1; i++) {
      const float u = x[i];
      y[i] = u * Sigmoid(u * (kGeluA + kGeluB * u * u));
    }
  });
  return Undefined(env);
}

// geluTanhGrad(heap, dyOff, xOff, dxOff, n): dx = dy · gelu'(x)
napi_value GeluTanhGrad(napi_env env, napi_callback_info info) {
  Heap h;
  int64_t v[4];
  if (!Args(env, info, "geluTanhGrad", &h, v)) return nullptr;
  const int64_t n = v[3];
  if (!Ranges(env, "geluTanhGrad", h, {{v[0], n}, {v[1], n}, {v[2], n}})) return nullptr;
  const float* dy = h.data + v[0];
  const float* x = h.data + v[1];
  float* dx = h.data + v[2];
  ParallelFor(n, kMinElements, [&](int64_t i0, int64_t i1) {
    for (int64_t i = i0; i < i1; i++) {
      const float u = x[i];
      const float u2 = u * u;
      const float s = Sigmoid(u * (kGeluA + kGeluB * u2));
      dx[i] = dy[i] * (s + u * s * (1.f - s) * (kGeluA + 3.f * kGeluB * u2));
    }
  });
  return Undefined(env);
}

}  // namespace dlm
