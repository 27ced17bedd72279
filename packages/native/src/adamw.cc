// adamw(heap, pOff, mOff, vOff, gOff, pOutOff, mOutOff, vOutOff, n, beta1, beta2, eps, bc2Sqrt, stepSize, decay,
// decays): one AdamW update in the float32 operation order of packages/core/src/optim/adamw.ts (torch.optim.AdamW):
//   m' = m·β1 + g·(1 − β1);  v' = v·β2 + g²·(1 − β2);  p' = p·decay − (m' / (√v' / bc2Sqrt + eps))·stepSize.
// Element-wise, split over the pool.
#include "heap-args.h"
#include "kernels.h"
#include "pool.h"

namespace dlm {

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
  ParallelFor(n, kMinElements, [&](int64_t i0, int64_t i1) {
    for (int64_t i = i0; i < i1; i++) {
      const float mi = m[i] * b1 + g[i] * c1;
      const float vi = v[i] * b2 + (g[i] * g[i]) * c2;
      const float denom = std::sqrt(vi) / bc2 + eps;
      const float base = decays ? p[i] * decay : p[i];
      po[i] = base - (mi / denom) * step;
      mo[i] = mi;
      vo[i] = vi;
    }
  });
  return Undefined(env);
}

}  // namespace dlm
