// gemm: C_i = act(op(A_i)·op(B_i) [+ bias]) for i < batch, with cblas_sgemm, row-major; op(X) = Xᵀ when the flag is
// set. A_i = heap + aOff + i·aStride (stride 0 broadcasts). Activations (tf.fused.matMul names): 0 linear, 1 relu,
// 2 relu6, 3 elu, 4 sigmoid, 5 leakyrelu(alpha).
//
// Threads (pool.h): BLAS runs single-threaded and the products are split here: a batch of ≥ 2 products by product
// (attention's [B·H] small products, where a multi-threaded BLAS call per product pays its synchronisation
// 64 times), one product by row blocks of C (or column blocks when C has fewer rows than columns), in multiples of
// 16 so every part keeps the micro-kernel's full tiles. Each part computes its own block of C: the same dot products
// as one call.
#include <algorithm>
#include <cstring>

#include "blas.h"
#include "heap-args.h"
#include "kernels.h"
#include "pool.h"

namespace dlm {
namespace {

constexpr double kMinParallelFlops = 16e6;  // below ≈ 150 µs of work a product stays on one thread
constexpr int kTile = 16;

void Activate(float* c, int64_t rows, int64_t cols, int64_t ldc, int act, float alpha) {
  for (int64_t r = 0; r < rows; r++) {
    float* x = c + r * ldc;
    switch (act) {
      case 1:
        for (int64_t i = 0; i < cols; i++) x[i] = x[i] > 0.f ? x[i] : 0.f;
        break;
      case 2:
        for (int64_t i = 0; i < cols; i++) x[i] = x[i] < 0.f ? 0.f : (x[i] > 6.f ? 6.f : x[i]);
        break;
      case 3:
        for (int64_t i = 0; i < cols; i++) x[i] = x[i] >= 0.f ? x[i] : std::expm1(x[i]);
        break;
      case 4:
        for (int64_t i = 0; i < cols; i++) x[i] = 1.f / (1.f + std::exp(-x[i]));
        break;
      case 5:
        for (int64_t i = 0; i < cols; i++) x[i] = x[i] >= 0.f ? x[i] : alpha * x[i];
        break;
      default:
        return;
    }
  }
}

struct Product {
  const float* a;
  const float* b;
  float* c;
  int m, n, k;
  bool ta, tb;
  const float* bias;  // nullptr: none
  int64_t biasLen;    // 1 or n
  int act;
  float alpha;
};

// Rows [r0, r1) × columns [c0, c1) of C = act(op(A)·op(B) + bias).
void Block(const Product& p, int r0, int r1, int c0, int c1) {
  const int m = r1 - r0, n = c1 - c0;
  if (m <= 0 || n <= 0) return;
  const float* a = p.ta ? p.a + r0 : p.a + static_cast<int64_t>(r0) * p.k;
  const float* b = p.tb ? p.b + static_cast<int64_t>(c0) * p.k : p.b + c0;
  float* c = p.c + static_cast<int64_t>(r0) * p.n + c0;
  float beta = 0.f;
  if (p.bias) {
    for (int r = 0; r < m; r++) {
      float* row = c + static_cast<int64_t>(r) * p.n;
      if (p.biasLen == 1)
        for (int j = 0; j < n; j++) row[j] = p.bias[0];
      else
        std::memcpy(row, p.bias + c0, sizeof(float) * n);
    }
    beta = 1.f;
  }
  cblas_sgemm(CblasRowMajor, p.ta ? CblasTrans : CblasNoTrans, p.tb ? CblasTrans : CblasNoTrans, m, n, p.k, 1.f, a,
              p.ta ? p.m : p.k, b, p.tb ? p.k : p.n, beta, c, p.n);
  Activate(c, m, n, p.n, p.act, p.alpha);
}

// One product over the pool: row blocks, or column blocks when C is wider than tall.
void Split(const Product& p) {
  const bool rows = p.m >= p.n;
  const int extent = rows ? p.m : p.n;
  const int64_t tiles = (extent + kTile - 1) / kTile;
  ParallelFor(tiles, 1, [&](int64_t t0, int64_t t1) {
    const int from = static_cast<int>(t0) * kTile;
    const int to = std::min(extent, static_cast<int>(t1) * kTile);
    if (rows)
      Block(p, from, to, 0, p.n);
    else
      Block(p, 0, p.m, from, to);
  });
}

}  // namespace

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
  const auto product = [&](int64_t i) {
    return Product{h.data + aOff + i * aStride,
                   h.data + bOff + i * bStride,
                   h.data + cOff + i * cStride,
                   static_cast<int>(m),
                   static_cast<int>(n),
                   static_cast<int>(k),
                   ta,
                   tb,
                   hasBias ? h.data + biasOff : nullptr,
                   biasLen,
                   act,
                   static_cast<float>(alpha)};
  };
  const double flops = 2.0 * static_cast<double>(batch) * m * n * k;
  if (PoolThreads() == 1 || flops < kMinParallelFlops) {
    for (int64_t i = 0; i < batch; i++) Block(product(i), 0, static_cast<int>(m), 0, static_cast<int>(n));
  } else if (batch >= PoolThreads()) {
    ParallelFor(batch, 1, [&](int64_t i0, int64_t i1) {
      for (int64_t i = i0; i < i1; i++) Block(product(i), 0, static_cast<int>(m), 0, static_cast<int>(n));
    });
  } else {
    for (int64_t i = 0; i < batch; i++) Split(product(i));
  }
  return Undefined(env);
}

}  // namespace dlm
