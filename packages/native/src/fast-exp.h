// exp in float32 that the compiler vectorises (std::exp is a scalar libm call): e^x = 2^n·e^r, n = round(x/ln 2),
// r = x − n·ln 2 (ln 2 split in two for exactness), e^r by the Cephes expf polynomial (relative error ~2e-7 on
// |r| ≤ ln2/2). x is clamped to [−87.3, 88.7] (the float32 range of 2^n); NaN stays NaN.
#pragma once
#include <cstdint>

namespace dlm {

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

}  // namespace dlm
