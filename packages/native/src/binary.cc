// Element-wise float32 binary ops with broadcasting: y[i] = a[i·sa] ∘ b[i·sb] over the output shape d (rank ≤ 6,
// y contiguous), where sa, sb are the inputs' strides per output axis (0 along a broadcast axis). ∘: 0 add, 1 sub,
// 2 mul, 3 div — tfjs's Add, Sub, Multiply, RealDiv, one float32 operation per element as theirs. The caller merges
// axes first (packages/core/src/kernels/native-binary.ts). Split over the pool by runs of the last axis.
#include "heap-args.h"
#include "kernels.h"
#include "pool.h"

namespace dlm {
namespace {

template <int Op>
inline float Apply(float x, float y) {
  if constexpr (Op == 0) return x + y;
  if constexpr (Op == 1) return x - y;
  if constexpr (Op == 2) return x * y;
  return x / y;
}

// One run of n outputs; sa, sb ∈ {0, 1} get their own loops (the vectorised cases).
template <int Op>
void Row(const float* a, const float* b, float* y, int64_t n, int64_t sa, int64_t sb) {
  if (sa == 1 && sb == 1)
    for (int64_t i = 0; i < n; i++) y[i] = Apply<Op>(a[i], b[i]);
  else if (sa == 1 && sb == 0)
    for (int64_t i = 0; i < n; i++) y[i] = Apply<Op>(a[i], b[0]);
  else if (sa == 0 && sb == 1)
    for (int64_t i = 0; i < n; i++) y[i] = Apply<Op>(a[0], b[i]);
  else
    for (int64_t i = 0; i < n; i++) y[i] = Apply<Op>(a[i * sa], b[i * sb]);
}

struct Broadcast {
  int64_t rank;
  int64_t d[6], sa[6], sb[6];

  template <int Op>
  void Run(const float* a, const float* b, float* y, int64_t u0, int64_t u1) const {
    const int64_t inner = d[rank - 1];
    int64_t idx[6] = {0, 0, 0, 0, 0, 0};
    int64_t oa = 0, ob = 0;
    for (int64_t ax = rank - 2, u = u0; ax >= 0; ax--) {
      idx[ax] = u % d[ax];
      u /= d[ax];
      oa += idx[ax] * sa[ax];
      ob += idx[ax] * sb[ax];
    }
    for (int64_t u = u0; u < u1; u++) {
      Row<Op>(a + oa, b + ob, y + u * inner, inner, sa[rank - 1], sb[rank - 1]);
      for (int64_t ax = rank - 2; ax >= 0; ax--) {
        oa += sa[ax];
        ob += sb[ax];
        if (++idx[ax] < d[ax]) break;
        oa -= sa[ax] * d[ax];
        ob -= sb[ax] * d[ax];
        idx[ax] = 0;
      }
    }
  }
};

}  // namespace

// binary(heap, op, aOff, bOff, yOff, rank, d0..d5, sa0..sa5, sb0..sb5)
napi_value Binary(napi_env env, napi_callback_info info) {
  Heap h;
  int64_t a[23];
  if (!Args(env, info, "binary", &h, a)) return nullptr;
  const int64_t op = a[0], rank = a[4];
  if (op < 0 || op > 3) {
    FailOp(env, "binary", "op must be 0 (add), 1 (sub), 2 (mul) or 3 (div)");
    return nullptr;
  }
  if (rank < 1 || rank > 6) {
    FailOp(env, "binary", "rank must be in [1, 6]");
    return nullptr;
  }
  Broadcast bc{rank, {}, {}, {}};
  int64_t n = 1, lastA = 0, lastB = 0;  // the largest offset each input reaches, + 1
  for (int64_t i = 0; i < rank; i++) {
    bc.d[i] = a[5 + i];
    bc.sa[i] = a[11 + i];
    bc.sb[i] = a[17 + i];
    if (bc.d[i] < 0 || bc.sa[i] < 0 || bc.sb[i] < 0) {
      FailOp(env, "binary", "dims and strides must be ≥ 0");
      return nullptr;
    }
    n *= bc.d[i];
    if (bc.d[i] > 0) {
      lastA += (bc.d[i] - 1) * bc.sa[i];
      lastB += (bc.d[i] - 1) * bc.sb[i];
    }
  }
  if (n == 0) return Undefined(env);
  if (!Ranges(env, "binary", h, {{a[1], lastA + 1}, {a[2], lastB + 1}, {a[3], n}})) return nullptr;
  const float* x = h.data + a[1];
  const float* z = h.data + a[2];
  float* y = h.data + a[3];
  const int64_t inner = bc.d[rank - 1];
  ParallelFor(n / inner, MinRows(inner), [&](int64_t u0, int64_t u1) {
    switch (op) {
      case 0:
        bc.Run<0>(x, z, y, u0, u1);
        break;
      case 1:
        bc.Run<1>(x, z, y, u0, u1);
        break;
      case 2:
        bc.Run<2>(x, z, y, u0, u1);
        break;
      default:
        bc.Run<3>(x, z, y, u0, u1);
    }
  });
  return Undefined(env);
}

}  // namespace dlm
