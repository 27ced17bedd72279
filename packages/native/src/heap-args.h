// What every kernel of the addon shares: the wasm heap view (argument 0 of every call), integer arguments, range
// checks against the view (a RangeError before any access), and the one error shape ("dlm_native.<op>: …").
#pragma once
#include <node_api.h>

#include <cmath>
#include <cstdint>
#include <initializer_list>
#include <string>
#include <utility>

namespace dlm {

struct Heap {
  float* data = nullptr;
  int64_t length = 0;  // in float32 elements
};

inline bool Fail(napi_env env, const char* msg) {
  napi_throw_range_error(env, nullptr, msg);
  return false;
}

inline bool FailOp(napi_env env, const char* op, const std::string& what) {
  const std::string msg = std::string("dlm_native.") + op + ": " + what;
  return Fail(env, msg.c_str());
}

inline bool GetHeap(napi_env env, napi_value v, Heap* heap) {
  bool is_typed = false;
  napi_is_typedarray(env, v, &is_typed);
  if (!is_typed) return Fail(env, "dlm_native: argument 0 must be a Float32Array view of the wasm heap");
  napi_typedarray_type type;
  size_t length = 0;
  void* data = nullptr;
  if (napi_get_typedarray_info(env, v, &type, &length, &data, nullptr, nullptr) != napi_ok ||
      type != napi_float32_array || data == nullptr)
    return Fail(env, "dlm_native: argument 0 must be a Float32Array view of the wasm heap");
  heap->data = static_cast<float*>(data);
  heap->length = static_cast<int64_t>(length);
  return true;
}

inline bool GetInts(napi_env env, napi_value* argv, size_t from, size_t count, int64_t* out) {
  for (size_t i = 0; i < count; i++) {
    double d = 0;
    if (napi_get_value_double(env, argv[from + i], &d) != napi_ok || !std::isfinite(d) || d != std::floor(d)) {
      std::string msg = "dlm_native: argument " + std::to_string(from + i) + " must be an integer";
      napi_throw_type_error(env, nullptr, msg.c_str());
      return false;
    }
    out[i] = static_cast<int64_t>(d);
  }
  return true;
}

/** True when [off + i·stride, off + i·stride + size) lies inside the heap for every i < batch. */
inline bool InHeap(const Heap& h, int64_t off, int64_t stride, int64_t batch, int64_t size) {
  if (off < 0 || stride < 0 || size < 0 || batch < 1) return false;
  const int64_t last = off + (batch - 1) * stride + size;
  return last <= h.length;
}

inline napi_value Undefined(napi_env env) {
  napi_value u;
  napi_get_undefined(env, &u);
  return u;
}

// The common argument pattern: (heap, ...N integers (offsets and sizes)[, one real]).
template <size_t N>
bool Args(napi_env env, napi_callback_info info, const char* name, Heap* h, int64_t (&v)[N], double* real = nullptr) {
  const size_t want = N + 1 + (real ? 1 : 0);
  size_t argc = N + 2;
  napi_value argv[N + 2];
  napi_get_cb_info(env, info, &argc, argv, nullptr, nullptr);
  if (argc != want) {
    std::string msg = std::string("dlm_native.") + name + ": expected " + std::to_string(want) + " arguments";
    napi_throw_type_error(env, nullptr, msg.c_str());
    return false;
  }
  if (!GetHeap(env, argv[0], h) || !GetInts(env, argv, 1, N, v)) return false;
  if (real && napi_get_value_double(env, argv[N + 1], real) != napi_ok) {
    std::string msg = std::string("dlm_native.") + name + ": the last argument must be a number";
    napi_throw_type_error(env, nullptr, msg.c_str());
    return false;
  }
  return true;
}

/** Each (offset, length) inside the heap view, else a RangeError naming the op. */
inline bool Ranges(napi_env env, const char* name, const Heap& h,
                   std::initializer_list<std::pair<int64_t, int64_t>> rs) {
  for (const auto& r : rs)
    if (!InHeap(h, r.first, 0, 1, r.second)) return FailOp(env, name, "an operand lies outside the heap view");
  return true;
}

}  // namespace dlm
