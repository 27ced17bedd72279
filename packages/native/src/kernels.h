// The addon's functions, one N-API callback each (argument lists at each definition), grouped by file.
#pragma once
#include <node_api.h>

namespace dlm {

napi_value Gemm(napi_env env, napi_callback_info info);                     // gemm.cc
napi_value GeluTanh(napi_env env, napi_callback_info info);                 // activations.cc
napi_value GeluTanhGrad(napi_env env, napi_callback_info info);             // activations.cc
napi_value LayerNorm(napi_env env, napi_callback_info info);                // layer-norm.cc
napi_value LayerNormGrad(napi_env env, napi_callback_info info);            // layer-norm.cc
napi_value RmsNorm(napi_env env, napi_callback_info info);                  // layer-norm.cc
napi_value RmsNormGrad(napi_env env, napi_callback_info info);              // layer-norm.cc
napi_value Rotary(napi_env env, napi_callback_info info);                   // rotary.cc
napi_value Softmax(napi_env env, napi_callback_info info);                  // softmax.cc
napi_value SoftmaxCrossEntropy(napi_env env, napi_callback_info info);      // softmax.cc
napi_value SoftmaxCrossEntropyGrad(napi_env env, napi_callback_info info);  // softmax.cc
napi_value SumMiddle(napi_env env, napi_callback_info info);                // reduce.cc
napi_value SegmentSum(napi_env env, napi_callback_info info);               // reduce.cc
napi_value Gather(napi_env env, napi_callback_info info);                   // copy.cc
napi_value Transpose(napi_env env, napi_callback_info info);                // copy.cc
napi_value Slice(napi_env env, napi_callback_info info);                    // copy.cc
napi_value Pad(napi_env env, napi_callback_info info);                      // copy.cc
napi_value AdamW(napi_env env, napi_callback_info info);                    // adamw.cc
napi_value Binary(napi_env env, napi_callback_info info);                   // binary.cc

}  // namespace dlm
