// Copies of 4-byte elements: gather of rows, transpose, slice and pad. Transpose, slice and pad are one strided walk
// (Walk): the shape od (rank ≤ 6) is walked in order, reading x with per-axis strides os and writing y with ds;
// when the last axis is contiguous on both sides whole runs are memcpy'd. Split over the pool by outer index.
#include <algorithm>
#include <cstring>
#include <string>

#include "heap-args.h"
#include "kernels.h"
#include "pool.h"

namespace dlm {
namespace {

struct Walk {
  int64_t rank;
  int64_t od[6];  // the walked shape
  int64_t os[6];  // x strides per walked axis
  int64_t ds[6];  // y strides per walked axis
  int64_t src, dst;
  bool rows;  // the last axis has stride 1 on both sides

  int64_t Count() const {
    int64_t n = 1;
    for (int64_t i = 0; i < rank; i++) n *= od[i];
    return n;
  }

  // Units [u0, u1): runs of od[rank − 1] values when rows, else single values.
  void Run(const float* x, float* y, int64_t u0, int64_t u1) const {
    const int64_t inner = rows ? od[rank - 1] : 1;
    const int64_t outerRank = rows ? rank - 1 : rank;
    int64_t idx[6] = {0, 0, 0, 0, 0, 0};
    int64_t s = src, d = dst;
    for (int64_t ax = outerRank - 1, u = u0; ax >= 0; ax--) {  // the odometer at unit u0
      idx[ax] = u % od[ax];
      u /= od[ax];
      s += idx[ax] * os[ax];
      d += idx[ax] * ds[ax];
    }
    for (int64_t u = u0; u < u1; u++) {
      if (rows)
        std::memcpy(y + d, x + s, sizeof(float) * inner);
      else
        y[d] = x[s];
      for (int64_t ax = outerRank - 1; ax >= 0; ax--) {
        s += os[ax];
        d += ds[ax];
        if (++idx[ax] < od[ax]) break;
        s -= os[ax] * od[ax];
        d -= ds[ax] * od[ax];
        idx[ax] = 0;
      }
    }
  }

  void Parallel(const float* x, float* y) const {
    const int64_t n = Count();
    if (n == 0) return;
    const int64_t inner = rows ? od[rank - 1] : 1;
    ParallelFor(n / inner, MinRows(inner), [&](int64_t u0, int64_t u1) { Run(x, y, u0, u1); });
  }
};

void ContiguousStrides(const int64_t* d, int64_t rank, int64_t* stride) {
  stride[rank - 1] = 1;
  for (int64_t i = rank - 2; i >= 0; i--) stride[i] = stride[i + 1] * d[i + 1];
}

bool RankOk(napi_env env, const char* op, int64_t rank) {
  return (rank >= 1 && rank <= 6) || FailOp(env, op, "rank must be in [1, 6]");
}

}  // namespace

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
      FailOp(env, "gather", "index " + std::to_string(idx[c]) + " is outside [0, " + std::to_string(n) + ")");
      return nullptr;
    }
  ParallelFor(outer * count, MinRows(inner), [&](int64_t u0, int64_t u1) {
    for (int64_t u = u0; u < u1; u++) {
      const int64_t o = u / count, c = u % count;
      std::memcpy(h.data + a[2] + u * inner, h.data + a[0] + (o * n + idx[c]) * inner, sizeof(float) * inner);
    }
  });
  return Undefined(env);
}

// transpose(heap, xOff, yOff, rank, d0..d5, p0..p5): y = x permuted (y's axis i is x's axis p[i]) for rank ≤ 6.
napi_value Transpose(napi_env env, napi_callback_info info) {
  Heap h;
  int64_t a[15];
  if (!Args(env, info, "transpose", &h, a)) return nullptr;
  const int64_t rank = a[2];
  if (!RankOk(env, "transpose", rank)) return nullptr;
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
  Walk w{rank, {}, {}, {}, 0, 0, p[rank - 1] == rank - 1};
  ContiguousStrides(d, rank, stride);
  for (int64_t i = 0; i < rank; i++) {
    w.od[i] = d[p[i]];
    w.os[i] = stride[p[i]];
  }
  ContiguousStrides(w.od, rank, w.ds);
  w.Parallel(h.data + a[0], h.data + a[1]);
  return Undefined(env);
}

// slice(heap, xOff, yOff, rank, d0..d5, b0..b5, s0..s5): y = x[b0:b0+s0, …] for rank ≤ 6.
napi_value Slice(napi_env env, napi_callback_info info) {
  Heap h;
  int64_t a[21];
  if (!Args(env, info, "slice", &h, a)) return nullptr;
  const int64_t rank = a[2];
  if (!RankOk(env, "slice", rank)) return nullptr;
  int64_t d[6], nx = 1, ny = 1;
  Walk w{rank, {}, {}, {}, 0, 0, true};
  for (int64_t i = 0; i < rank; i++) {
    d[i] = a[3 + i];
    const int64_t b = a[9 + i];
    w.od[i] = a[15 + i];
    if (d[i] < 0 || b < 0 || w.od[i] < 0 || b + w.od[i] > d[i]) {
      Fail(env, "dlm_native.slice: begin and size must lie inside the dims");
      return nullptr;
    }
    nx *= d[i];
    ny *= w.od[i];
  }
  if (!Ranges(env, "slice", h, {{a[0], nx}, {a[1], ny}})) return nullptr;
  ContiguousStrides(d, rank, w.os);
  ContiguousStrides(w.od, rank, w.ds);
  for (int64_t i = 0; i < rank; i++) w.src += a[9 + i] * w.os[i];
  w.Parallel(h.data + a[0], h.data + a[1]);
  return Undefined(env);
}

// pad(heap, xOff, yOff, rank, d0..d5, b0..b5, e0..e5, value): y = x with b[i] values before and e[i] after along
// axis i, filled with value (tf.pad / PadV2), rank ≤ 6.
napi_value Pad(napi_env env, napi_callback_info info) {
  Heap h;
  int64_t a[21];
  double value = 0;
  if (!Args(env, info, "pad", &h, a, &value)) return nullptr;
  const int64_t rank = a[2];
  if (!RankOk(env, "pad", rank)) return nullptr;
  int64_t yd[6], ys[6], nx = 1, ny = 1;
  Walk w{rank, {}, {}, {}, 0, 0, true};
  for (int64_t i = 0; i < rank; i++) {
    w.od[i] = a[3 + i];
    const int64_t b = a[9 + i], e = a[15 + i];
    if (w.od[i] < 0 || b < 0 || e < 0) {
      Fail(env, "dlm_native.pad: dims and paddings must be ≥ 0");
      return nullptr;
    }
    yd[i] = w.od[i] + b + e;
    nx *= w.od[i];
    ny *= yd[i];
  }
  if (!Ranges(env, "pad", h, {{a[0], nx}, {a[1], ny}})) return nullptr;
  ContiguousStrides(w.od, rank, w.os);
  ContiguousStrides(yd, rank, ys);
  for (int64_t i = 0; i < rank; i++) {
    w.ds[i] = ys[i];
    w.dst += a[9 + i] * ys[i];
  }
  float* y = h.data + a[1];
  const float v = static_cast<float>(value);
  ParallelFor(ny, kMinElements, [&](int64_t i0, int64_t i1) { std::fill(y + i0, y + i1, v); });
  w.Parallel(h.data + a[0], y);
  return Undefined(env);
}

}  // namespace dlm
