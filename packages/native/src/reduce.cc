// Reductions: a sum over the middle axis of [outer, red, inner] (float64 accumulators), and UnsortedSegmentSum
// (the gradient of an embedding lookup: y[ids[i], :] += x[i, :] in float32, i ascending, as the host kernel in
// packages/core/src/kernels/unsorted-segment-sum.ts). Both split over outer rows or inner columns, so every output
// element keeps one summation order whatever the thread count.
#include <algorithm>
#include <cstring>
#include <vector>

#include "heap-args.h"
#include "kernels.h"
#include "pool.h"

namespace dlm {

// sumMiddle(heap, xOff, yOff, outer, red, inner): y[o, i] = Σ_r x[o, r, i].
napi_value SumMiddle(napi_env env, napi_callback_info info) {
  Heap h;
  int64_t a[5];
  if (!Args(env, info, "sumMiddle", &h, a)) return nullptr;
  const int64_t outer = a[2], red = a[3], inner = a[4];
  if (!Ranges(env, "sumMiddle", h, {{a[0], outer * red * inner}, {a[1], outer * inner}})) return nullptr;
  // Columns [i0, i1) of every outer row in [o0, o1).
  const auto sum = [&](int64_t o0, int64_t o1, int64_t i0, int64_t i1) {
    std::vector<double> acc(static_cast<size_t>(i1 - i0));
    for (int64_t o = o0; o < o1; o++) {
      std::fill(acc.begin(), acc.end(), 0.0);
      const float* x = h.data + a[0] + o * red * inner;
      for (int64_t r = 0; r < red; r++) {
        const float* row = x + r * inner;
        for (int64_t i = i0; i < i1; i++) acc[i - i0] += row[i];
      }
      float* y = h.data + a[1] + o * inner;
      for (int64_t i = i0; i < i1; i++) y[i] = static_cast<float>(acc[i - i0]);
    }
  };
  const int64_t work = red * inner;
  if (outer >= PoolThreads())
    ParallelFor(outer, MinRows(work), [&](int64_t o0, int64_t o1) { sum(o0, o1, 0, inner); });
  else
    for (int64_t o = 0; o < outer; o++)
      ParallelFor(inner, MinRows(red), [&](int64_t i0, int64_t i1) { sum(o, o + 1, i0, i1); });
  return Undefined(env);
}

// segmentSum(heap, xOff, idsOff, yOff, n, inner, numSegments): y [numSegments, inner] = 0, then
// y[ids[i], :] += x[i, :] for i < n; int32 ids on the same heap, negative ids dropped, an id ≥ numSegments is a
// RangeError (checked before anything is written).
napi_value SegmentSum(napi_env env, napi_callback_info info) {
  Heap h;
  int64_t a[6];
  if (!Args(env, info, "segmentSum", &h, a)) return nullptr;
  const int64_t n = a[3], inner = a[4], segments = a[5];
  if (n < 0 || inner < 0 || segments < 0 ||
      !Ranges(env, "segmentSum", h, {{a[0], n * inner}, {a[1], n}, {a[2], segments * inner}}))
    return nullptr;
  const int32_t* ids = reinterpret_cast<const int32_t*>(h.data + a[1]);
  for (int64_t i = 0; i < n; i++)
    if (ids[i] >= segments) {
      FailOp(env, "segmentSum",
             "segment id " + std::to_string(ids[i]) + " at " + std::to_string(i) + " is not < numSegments " +
                 std::to_string(segments));
      return nullptr;
    }
  const float* x = h.data + a[0];
  float* y = h.data + a[2];
  ParallelFor(inner, MinRows(n), [&](int64_t j0, int64_t j1) {
    for (int64_t s = 0; s < segments; s++) std::memset(y + s * inner + j0, 0, sizeof(float) * (j1 - j0));
    for (int64_t i = 0; i < n; i++) {
      if (ids[i] < 0) continue;
      float* dst = y + ids[i] * inner;
      const float* src = x + i * inner;
      for (int64_t j = j0; j < j1; j++) dst[j] += src[j];
    }
  });
  return Undefined(env);
}

}  // namespace dlm
