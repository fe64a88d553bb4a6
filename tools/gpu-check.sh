#!/usr/bin/env bash
# GPU check: prints node / NVIDIA driver / Vulkan ICD facts and the Dawn (WebGPU) adapter, then times
# a U-Net training step (depth 4, base 16, batch 8, Adam) on tfjs-webgpu and on the machine's own
# PyTorch CUDA at 128², 256², 512², and the demo's U-Net (128², depth 3) likewise.
#
#   tools/gpu-check.sh [--python PY] [--sizes 128,256,512] [--steps 5] [--out DIR]
#
# --out DIR keeps each bench's JSON; COVSEG_GPU_CHECK_TIMEOUT=S stops each bench after S seconds.
# In a checkout it runs bench/train.ts through tsx. COVSEG_BENCH_BUNDLE=FILE runs an esbuild bundle
# of bench/train.ts instead (for a machine without node_modules: put node_modules/webgpu and
# train_peer.py beside the bundle). Every section runs even if an earlier one failed. The H200 run
# in README used, built here:  npx esbuild bench/train.ts --bundle --platform=node --format=esm
#   --outfile=DIR/train.mjs --external:webgpu --external:@covseg/native-cpu --external:onnxruntime-node
#   --external:@tensorflow/tfjs-node --external:@tensorflow/tfjs-node-gpu
#   --banner:js="import { createRequire as __cr } from 'node:module'; const require = __cr(import.meta.url);"
# plus node (xz), node_modules/webgpu (index.js, package.json, dist/linux-x64/dawn.node) and the
# Debian libvulkan1/libglvnd packages (dpkg -x into /; the driver's ICD is then found via VK_DRIVER_FILES).
set -uo pipefail
shopt -s nullglob
root="$(cd "$(dirname "$0")/.." && pwd)"
python=python3 sizes=128,256,512 steps=5 out=""
while [ $# -gt 0 ]; do
  case "$1" in
    --python) python="$2"; shift 2 ;;
    --sizes) sizes="$2"; shift 2 ;;
    --steps) steps="$2"; shift 2 ;;
    --out) out="$2"; shift 2 ;;
    *) echo "covseg: gpu-check: unknown argument '$1'" >&2; exit 2 ;;
  esac
done
if [ -n "${COVSEG_BENCH_BUNDLE:-}" ]; then
  bench=(node "$COVSEG_BENCH_BUNDLE"); modules="$(dirname "$COVSEG_BENCH_BUNDLE")"
else
  bench=(node --import tsx "$root/bench/train.ts"); modules="$root"
fi
section() { printf '\n=== %s ===\n' "$1"; }

section "machine"
echo "node $(node -v 2>&1), $(uname -srm)"
command -v nvidia-smi >/dev/null && nvidia-smi --query-gpu=name,driver_version,memory.total,clocks.max.sm --format=csv,noheader
"$python" -c 'import torch; print("torch", torch.__version__, "CUDA", torch.version.cuda, "device", torch.cuda.get_device_name(0) if torch.cuda.is_available() else "none")' 2>&1 | tail -1

section "Vulkan"
echo "loader: $(ldconfig -p | grep -o 'libvulkan.so.1 .*' | head -1 || true)"
echo "VK_DRIVER_FILES=${VK_DRIVER_FILES:-} VK_ICD_FILENAMES=${VK_ICD_FILENAMES:-}"
for d in /etc/vulkan/icd.d /usr/share/vulkan/icd.d /usr/local/nvidia/share/vulkan/icd.d; do
  [ -d "$d" ] && for f in "$d"/*.json; do echo "ICD $f: $(grep -o '"library_path"[^,}]*' "$f")"; done
done

section "Dawn adapter"
(cd "$modules" && node --input-type=module -e '
  const { create, globals } = await import("webgpu");
  Object.assign(globalThis, globals);
  const a = await create([]).requestAdapter({ powerPreference: "high-performance" });
  if (!a) { console.log("no adapter"); process.exit(0); }
  const i = a.info;
  console.log(JSON.stringify({ vendor: i.vendor, architecture: i.architecture, device: i.device, description: i.description, fallback: i.isFallbackAdapter, features: [...a.features].length, maxBufferSize: a.limits.maxBufferSize, maxStorageBufferBindingSize: a.limits.maxStorageBufferBindingSize }));
' 2>&1 | grep -v 'artificially reduced')

run_bench() { # label, extra args...
  local label="$1"; shift
  section "$label"
  ${COVSEG_GPU_CHECK_TIMEOUT:+timeout "$COVSEG_GPU_CHECK_TIMEOUT"} "${bench[@]}" --backends webgpu --steps "$steps" --peer-python "$(command -v "$python")" --peer-device cuda --child-timeout 100 "$@" 2>&1 | grep -v 'artificially reduced'
  local json; json="$(dirname "${COVSEG_BENCH_BUNDLE:-$root/bench/x}")/out/train.json"
  [ -n "$out" ] && [ -f "$json" ] && cp "$json" "$out/$(echo "$label" | tr -c 'a-zA-Z0-9\n' '-').json"
}
[ -n "$out" ] && mkdir -p "$out"
# (the largest size's step is also profiled per kernel: where webgpu's time goes)
run_bench "U-Net depth 4 base 16, batch 8: webgpu vs PyTorch CUDA" --sizes "$sizes" --profile-size "${sizes##*,}"
run_bench "demo U-Net (depth 3 base 16, 128², batch 8): webgpu vs PyTorch CUDA" --sizes 128 --depth 3 --profile-size 0
