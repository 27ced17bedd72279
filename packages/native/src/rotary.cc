// Rotary position embedding, rotate-half layout, in one pass (packages/core/src/nn/rotary.ts):
//   y[…, l, j] = x[…, l, j]·cos[l, j] + R(x)[…, l, j]·sin[l, j],  R(x) = concat(−x[h:], x[:h]), h = hd/2
// with the float32 roundings of the composed ops (each product, then the sum). Its input gradient is the
// transposed map, Rᵀ(u) = concat(u[h:], −u[:h]):
//   dx[…, l, j] = dy·cos [l, j] + (j < h ? (dy·sin)[l, j + h] : −(dy·sin)[l, j − h])
// x, y [outer, L, hd]; tables [L, hd]. Split over the pool by rows of hd.
#include "heap-args.h"
#include "kernels.h"
#include "pool.h"

namespace dlm {

// rotary(heap, xOff, cosOff, sinOff, yOff, outer, l, hd, grad): grad = 0 the embedding, 1 its input gradient (x
// is then dy).
napi_value Rotary(napi_env env, napi_callback_info info) {
  Heap h;
  int64_t a[8];
  if (!Args(env, info, "rotary", &h, a)) return nullptr;
  const int64_t outer = a[4], len = a[5], hd = a[6];
  const bool grad = a[7] != 0;
  if (hd < 2 || hd % 2 != 0) {
    FailOp(env, "rotary", "hd must be even and ≥ 2");
    return nullptr;
  }
  const int64_t n = outer * len * hd;
  if (!Ranges(env, "rotary", h, {{a[0], n}, {a[1], len * hd}, {a[2], len * hd}, {a[3], n}})) return nullptr;
  const float* x = h.data + a[0];
  const float* cs = h.data + a[1];
  const float* sn = h.data + a[2];
  float* y = h.data + a[3];
  const int64_t half = hd / 2;
  ParallelFor(outer * len, MinRows(hd), [&](int64_t r0, int64_t r1) {
    for (int64_t r = r0; r < r1; r++) {
      const int64_t l = r % len;
      const float* xr = x + r * hd;
      const float* c = cs + l * hd;
      const float* s = sn + l * hd;
      float* yr = y + r * hd;
      if (!grad) {
        for (int64_t j = 0; j < half; j++) yr[j] = xr[j] * c[j] + (-xr[j + half]) * s[j];
        for (int64_t j = half; j < hd; j++) yr[j] = xr[j] * c[j] + xr[j - half] * s[j];
      } else {
        for (int64_t j = 0; j < half; j++) yr[j] = xr[j] * c[j] + xr[j + half] * s[j + half];
        for (int64_t j = half; j < hd; j++) yr[j] = xr[j] * c[j] + (-(xr[j - half] * s[j - half]));
      }
    }
  });
  return Undefined(env);
}

}  // namespace dlm
