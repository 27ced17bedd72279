# The N-API addon of @dlm/native: BLAS sgemm and a few float32 loops over the tfjs wasm heap.
# Linux: OpenBLAS (libopenblas-dev); macOS: Accelerate. Built by scripts/build.mjs (root postinstall).
{
  "targets": [
    {
      "target_name": "dlm_native",
      "sources": [
        "src/addon.cc",
        "src/pool.cc",
        "src/gemm.cc",
        "src/activations.cc",
        "src/layer-norm.cc",
        "src/rotary.cc",
        "src/softmax.cc",
        "src/reduce.cc",
        "src/copy.cc",
        "src/adamw.cc",
        "src/binary.cc"
      ],
      "cflags_cc": ["-O3", "-march=native", "-ffp-contract=off", "-fno-exceptions", "-std=c++17"],
      "cflags_cc!": ["-fno-rtti"],
      "conditions": [
        [
          "OS=='mac'",
          {
            "defines": ["DLM_ACCELERATE", "ACCELERATE_NEW_LAPACK"],
            "libraries": ["-framework Accelerate"],
            "xcode_settings": { "OTHER_CPLUSPLUSFLAGS": ["-O3", "-std=c++17"] }
          },
          {
            "defines": ["DLM_OPENBLAS"],
            "include_dirs": ["<!@(node scripts/blas-flags.mjs include)"],
            "libraries": ["<!@(node scripts/blas-flags.mjs libs)"]
          }
        ]
      ]
    }
  ]
}
