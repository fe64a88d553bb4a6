{
  "targets": [
    {
      "target_name": "covseg_native",
      "sources": ["src/native/addon.cc", "src/native/gemm.cc", "src/native/conv.cc", "src/native/ops.cc", "src/native/train_ops.cc"],
      "cflags_cc": ["-O3", "-std=c++17", "-fno-exceptions", "-ffp-contract=off"],
      "cflags_cc!": ["-fno-rtti"],
      "libraries": ["-lpthread"]
    }
  ]
}
