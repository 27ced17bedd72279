// LayerNorm over the last axis without affine (torch.nn.functional.layer_norm, biased variance):
// y = (x − μ)·r, r = 1/√(σ² + eps); per row of d values, statistics in float64. Rows split over the pool.
// Gradient: dx = r·(dy − mean(dy) − ŷ·mean(dy·ŷ)), ŷ = (x − μ)·r.
// RMSNorm without weight (LLaDA's RMSLayerNorm): y = x·r, r = 1/√(mean(x²) + eps);
// gradient dx = r·(dy − ŷ·mean(dy·ŷ)), ŷ = x·r.
#include "heap-args.h"
#include "kernels.h"
#include "pool.h"

namespace dlm {
namespace {

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

float RmsRstd(const float* x, int64_t d, float eps) {
  double q = 0;
  for (int64_t j = 0; j < d; j++) q += static_cast<double>(x[j]) * x[j];
  return static_cast<float>(1.0 / std::sqrt(q / static_cast<double>(d) + eps));
}

}  // namespace

// rmsNorm(heap, xOff, yOff, rows, d, eps)
napi_value RmsNorm(napi_env env, napi_callback_info info) {
  Heap h;
  int64_t v[4];
  double epsD = 0;
  if (!Args(env, info, "rmsNorm", &h, v, &epsD)) return nullptr;
  const int64_t rows = v[2], d = v[3];
  const float eps = static_cast<float>(epsD);
  if (!Ranges(env, "rmsNorm", h, {{v[0], rows * d}, {v[1], rows * d}})) return nullptr;
  ParallelFor(rows, MinRows(d), [&](int64_t r0, int64_t r1) {
    for (int64_t r = r0; r < r1; r++) {
      const float* x = h.data + v[0] + r * d;
      float* y = h.data + v[1] + r * d;
      const float rs = RmsRstd(x, d, eps);
      for (int64_t j = 0; j < d; j++) y[j] = x[j] * rs;
    }
  });
  return Undefined(env);
}

// rmsNormGrad(heap, dyOff, xOff, dxOff, rows, d, eps)
napi_value RmsNormGrad(napi_env env, napi_callback_info info) {
  Heap h;
  int64_t v[5];
  double epsD = 0;
  if (!Args(env, info, "rmsNormGrad", &h, v, &epsD)) return nullptr;
  const int64_t rows = v[3], d = v[4];
  const float eps = static_cast<float>(epsD);
  if (!Ranges(env, "rmsNormGrad", h, {{v[0], rows * d}, {v[1], rows * d}, {v[2], rows * d}})) return nullptr;
  ParallelFor(rows, MinRows(d), [&](int64_t r0, int64_t r1) {
    for (int64_t r = r0; r < r1; r++) {
      const float* dy = h.data + v[0] + r * d;
      const float* x = h.data + v[1] + r * d;
      float* dx = h.data + v[2] + r * d;
      const float rs = RmsRstd(x, d, eps);
      double sdyh = 0;
      for (int64_t j = 0; j < d; j++) sdyh += static_cast<double>(dy[j]) * (x[j] * rs);
      const float mdyh = static_cast<float>(sdyh / static_cast<double>(d));
      for (int64_t j = 0; j < d; j++) dx[j] = rs * (dy[j] - x[j] * rs * mdyh);
    }
  });
  return Undefined(env);
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
  ParallelFor(rows, MinRows(d), [&](int64_t r0, int64_t r1) {
    for (int64_t r = r0; r < r1; r++) {
      const float* x = h.data + v[0] + r * d;
      float* y = h.data + v[1] + r * d;
      float mu, rs;
      RowStats(x, d, eps, &mu, &rs);
      for (int64_t j = 0; j < d; j++) y[j] = (x[j] - mu) * rs;
    }
  });
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
  ParallelFor(rows, MinRows(d), [&](int64_t r0, int64_t r1) {
    for (int64_t r = r0; r < r1; r++) {
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
  });
  return Undefined(env);
}

}  // namespace dlm
