import { checksumPath, InputError } from '@covseg/io';
import { activateBackend, type BackendName } from '@covseg/tfjs-backend';
import { loadUnet } from '@covseg/unet';
import type { CaseReport } from './report/caseReport.js';
import { tfjsSegmenter, type Segmenter } from './segmenter.js';
import { DEFAULT_ONNX_RUNTIME_CONFIG, type OnnxRuntimeConfig } from './onnxRuntime/runtimeConfig.js';
import { createOnnxSegmenter } from './onnxRuntime/onnxRuntimeSegmenter.js';

/**
 * A Segmenter for a model path: an ONNX file (ONNX Runtime, CPU, with `runtime` = config export.runtime) or a covseg
 * model folder (tfjs on `backend`; threads 0 = the cores Node sees).
 */
export async function openSegmenter(
  model: string,
  backend: BackendName,
  log: (line: string) => void = (l) => process.stderr.write(l + '\n'),
  threads = 0,
  runtime: OnnxRuntimeConfig = DEFAULT_ONNX_RUNTIME_CONFIG,
): Promise<{ segmenter: Segmenter; provenance: CaseReport['model'] }> {
  const sha256 = checksumPath(model);
  if (model.toLowerCase().endsWith('.onnx')) {
    // a tfjs backend cannot run an ONNX file: refuse the choice rather than ignore it
    if (backend !== 'auto') throw new InputError(`backend '${backend}' runs covseg model folders; an .onnx file runs on ONNX Runtime (leave the backend at 'auto')`, model);
    const onnx = await createOnnxSegmenter(model, runtime);
    const m = onnx.metadata;
    const segmenter: Segmenter = { name: m.modelName, inputSize: [m.inputSize[0], m.inputSize[1]], window: [m.window.low, m.window.high], predict: (b, n, h, w) => onnx.predict(b, n, h, w) };
    return { segmenter, provenance: { name: m.modelName, engine: 'onnxruntime-node (cpu)', path: model, sha256 } };
  }
  const engine = await activateBackend(backend, log, threads);
  const unet = await loadUnet(model);
  return { segmenter: tfjsSegmenter(unet), provenance: { name: unet.info.name, engine: `tfjs ${engine}`, path: model, sha256 } };
}
