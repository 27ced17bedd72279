// @dlm/native: float32 kernels over the tfjs wasm heap (a Float32Array view of the WebAssembly.Memory, passed
// as the first argument of every call; offsets and strides are in float32 elements of that view). Nothing is
// copied: operands are read and results written in place, and every range is checked against the view's length
// before any access (a RangeError otherwise; heap-args.h).
//
// One file per kind of kernel (kernels.h lists them): BLAS products (gemm.cc), GELU (activations.cc), LayerNorm and RMSNorm, rotary embedding,
// softmax and softmax cross-entropy, reductions (sum over an axis, segment sum), copies (gather, transpose, slice,
// pad), the AdamW update and broadcasting binary ops. Loops run on the addon's thread pool (pool.h); this file
// registers the functions and sets the thread count.
#include <node_api.h>

#include "blas.h"
#include "heap-args.h"
#include "kernels.h"
#include "pool.h"

namespace dlm {
namespace {

// setThreads(n): the pool's size; BLAS itself stays at one thread (gemm.cc splits products over the pool).
napi_value SetThreads(napi_env env, napi_callback_info info) {
  size_t argc = 1;
  napi_value argv[1];
  napi_get_cb_info(env, info, &argc, argv, nullptr, nullptr);
  int64_t n = 0;
  if (argc != 1 || !GetInts(env, argv, 0, 1, &n)) return nullptr;
  if (n < 1 || n > 1024) {
    Fail(env, "dlm_native.setThreads: thread count must be in [1, 1024]");
    return nullptr;
  }
#if !defined(DLM_ACCELERATE)
  openblas_set_num_threads(1);
#endif
  SetPoolThreads(static_cast<int>(n));
  return Undefined(env);
}

napi_value GetThreads(napi_env env, napi_callback_info) {
  napi_value out;
  napi_create_int32(env, PoolThreads(), &out);
  return out;
}

napi_value BlasInfo(napi_env env, napi_callback_info) {
  napi_value out;
#if defined(DLM_ACCELERATE)
  const char* s = "Accelerate";
#else
  const char* s = openblas_get_config();
#endif
  napi_create_string_utf8(env, s, NAPI_AUTO_LENGTH, &out);
  return out;
}

napi_value Init(napi_env env, napi_value exports) {
  const auto fn = [](const char* name, napi_callback cb) {
    return napi_property_descriptor{name, nullptr, cb, nullptr, nullptr, nullptr, napi_default, nullptr};
  };
  const napi_property_descriptor props[] = {
      fn("gemm", Gemm),
      fn("setThreads", SetThreads),
      fn("getThreads", GetThreads),
      fn("blasInfo", BlasInfo),
      fn("geluTanh", GeluTanh),
      fn("geluTanhGrad", GeluTanhGrad),
      fn("layerNorm", LayerNorm),
      fn("layerNormGrad", LayerNormGrad),
      fn("rmsNorm", RmsNorm),
      fn("rmsNormGrad", RmsNormGrad),
      fn("rotary", Rotary),
      fn("softmax", Softmax),
      fn("softmaxCrossEntropy", SoftmaxCrossEntropy),
      fn("softmaxCrossEntropyGrad", SoftmaxCrossEntropyGrad),
      fn("sumMiddle", SumMiddle),
      fn("segmentSum", SegmentSum),
      fn("gather", Gather),
      fn("adamw", AdamW),
      fn("transpose", Transpose),
      fn("slice", Slice),
      fn("pad", Pad),
      fn("binary", Binary),
  };
  napi_define_properties(env, exports, sizeof(props) / sizeof(props[0]), props);
  return exports;
}

}  // namespace
}  // namespace dlm

NAPI_MODULE(NODE_GYP_MODULE_NAME, dlm::Init)
