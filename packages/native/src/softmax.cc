// Softmax over the last axis, y = exp(x − max x) / Σ exp(x − max x) (the sum in float64), and softmax
// cross-entropy per row of logits z [rows, v] with int32 targets t [rows] (on the same heap):
// nll = logΣexp(z) − z[t] (max subtracted first); gradient dz = dnll·(softmax(z) − onehot(t)).
// A target outside [0, v) gives NaN (its row's nll and gradient), never a read outside the row. Rows split over the
// pool.
#include "fast-exp.h"
#include "heap-args.h"
#include "kernels.h"
#include "pool.h"

namespace dlm {
namespace {

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

}  // namespace

// softmax(heap, xOff, yOff, rows, d)
napi_value Softmax(napi_env env, napi_callback_info info) {
  Heap h;
  int64_t a[4];
  if (!Args(env, info, "softmax", &h, a)) return nullptr;
  const int64_t rows = a[2], d = a[3];
  if (d < 1 || !Ranges(env, "softmax", h, {{a[0], rows * d}, {a[1], rows * d}})) return nullptr;
  ParallelFor(rows, MinRows(d), [&](int64_t r0, int64_t r1) {
    for (int64_t r = r0; r < r1; r++) {
      const float* x = h.data + a[0] + r * d;
      float* y = h.data + a[1] + r * d;
      float m = x[0];
      for (int64_t j = 1; j < d; j++) m = x[j] > m ? x[j] : m;
      for (int64_t j = 0; j < d; j++) y[j] = FastExp(x[j] - m);
      double s = 0;
      for (int64_t j = 0; j < d; j++) s += y[j];
      const float inv = static_cast<float>(1.0 / s);
      for (int64_t j = 0; j < d; j++) y[j] *= inv;
    }
  });
  return Undefined(env);
}

// softmaxCrossEntropy(heap, zOff, tOff, nllOff, rows, v)
napi_value SoftmaxCrossEntropy(napi_env env, napi_callback_info info) {
  Heap h;
  int64_t a[5];
  if (!Args(env, info, "softmaxCrossEntropy", &h, a)) return nullptr;
  const int64_t rows = a[3], v = a[4];
  if (v < 1 || !Ranges(env, "softmaxCrossEntropy", h, {{a[0], rows * v}, {a[1], rows}, {a[2], rows}})) return nullptr;
  const int32_t* t = reinterpret_cast<const int32_t*>(h.data + a[1]);
  ParallelFor(rows, MinRows(v), [&](int64_t r0, int64_t r1) {
    for (int64_t r = r0; r < r1; r++) {
      const float* z = h.data + a[0] + r * v;
      float m;
      const double lse = LogSumExp(z, v, &m);
      const int32_t k = t[r];
      h.data[a[2] + r] = (k >= 0 && k < v) ? static_cast<float>(lse - (z[k] - m)) : NAN;
    }
  });
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
  ParallelFor(rows, MinRows(v), [&](int64_t r0, int64_t r1) {
    for (int64_t r = r0; r < r1; r++) {
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
  });
  return Undefined(env);
}

}  // namespace dlm
