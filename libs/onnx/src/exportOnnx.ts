import type * as tf from '@tensorflow/tfjs';
import { InputError, writeFileAtomicSync } from '@covseg/io';
import type { ExportConfig } from './config.js';
import { batchNormAffine, foldableBatchNorms } from './foldBatchNorm.js';
import { readLayerGraph, type LayerGraph, type LayerStep } from './layerGraph.js';
import { layerWeights } from './layerWeights.js';
import type { EmitContext } from './mappers/context.js';
import { LAYER_MAPPERS } from './mappers/registry.js';
import { covsegVersion, metadataProps, INPUT_NAME, OUTPUT_NAME, type ModelCard } from '@covseg/inference';

export { INPUT_NAME, OUTPUT_NAME };
import { encodeModel, floatValueInfo, IR_VERSION, node, type OnnxModel, type OnnxNode, type OnnxTensor } from '@covseg/inference';

/** Symbolic dims: batch, height, width (any multiple of the input multiple). */
const DYNAMIC_DIMS = ['N', 'H', 'W'] as const;
const PRODUCER = 'covseg-export';

/** Names every layer whose class has no ONNX mapping (before any work is done). */
export function unmappedLayers(graph: LayerGraph): string[] {
  return graph.steps.filter((s) => !LAYER_MAPPERS[s.className]).map((s) => `'${s.name}' (${s.className})`);
}

/** Factor by which H and W must be divisible: the largest cumulative downsampling along the graph. */
export function inputMultiple(graph: LayerGraph): number {
  const factor = new Map<string, number>([[graph.input, 1]]);
  let worst = 1;
  for (const s of graph.steps) {
    const f = Math.max(...s.inputs.map((t) => factor.get(t) ?? 1));
    const stride = (v: unknown) => (Array.isArray(v) ? Math.max(...v) : typeof v === 'number' ? v : 1);
    let g = f;
    if (s.className === 'MaxPooling2D') g = f * stride(s.config.strides ?? s.config.poolSize);
    else if (s.className === 'Conv2D') g = f * stride(s.config.strides);
    else if (s.className === 'Conv2DTranspose') g = f / stride(s.config.strides);
    else if (s.className === 'UpSampling2D') g = f / stride(s.config.size);
    factor.set(s.output, g);
    worst = Math.max(worst, g);
  }
  return worst;
}

/** Converts a functional tfjs U-Net (NHWC, softmax over channels) into an ONNX ModelProto (NCHW). Throws InputError on anything it cannot map. */
export function tfjsToOnnx(model: tf.LayersModel, card: ModelCard, cfg: ExportConfig): OnnxModel {
  const graph = readLayerGraph(model);
  const unmapped = unmappedLayers(graph);
  if (unmapped.length) throw new InputError(`cannot export to ONNX: no mapping for layer ${unmapped.join(', ')} (supported: ${Object.keys(LAYER_MAPPERS).join(', ')})`);
  const classes = graph.steps.at(-1)?.outputShape.at(-1);
  if (classes !== card.classNames.length) throw new InputError(`model outputs ${classes} channels but the model card names ${card.classNames.length} classes`);

  const nodes: OnnxNode[] = [];
  const initializers: OnnxTensor[] = [];
  const aliases = new Map<string, string>();
  const producerName = new Map(graph.steps.map((s) => [s.output, s.name]));
  const used = new Set<string>();
  const root = (t: string): string => (aliases.has(t) ? root(aliases.get(t)!) : t);
  const ctx: EmitContext = {
    opset: cfg.opset,
    tensor: (t) => {
      const r = root(t);
      return r === graph.input ? INPUT_NAME : (producerName.get(r) ?? r);
    },
    add: (n) => nodes.push(n),
    initializer: (t) => (initializers.push(t), t.name!),
    alias: (t, source) => aliases.set(t, source),
    fresh: (step, suffix) => {
      let name = `${step.name}/${suffix}`;
      for (let i = 1; used.has(name); i++) name = `${step.name}/${suffix}_${i}`;
      used.add(name);
      return name;
    },
  };

  const folds = cfg.foldBatchNorm ? foldableBatchNorms(graph) : new Map<string, LayerStep>();
  const foldedBn = new Set([...folds.values()].map((s) => s.name));
  for (const step of graph.steps) {
    if (foldedBn.has(step.name)) continue;
    const bn = folds.get(step.name);
    if (bn) {
      // the conv writes straight into the BatchNormalization's output tensor
      ctx.alias(step.output, bn.output);
      LAYER_MAPPERS[step.className](step, layerWeights(step.layer), ctx, batchNormAffine(bn, layerWeights(bn.layer)));
    } else {
      LAYER_MAPPERS[step.className](step, layerWeights(step.layer), ctx);
    }
  }
  nameGraphOutput(nodes, ctx.tensor(graph.output));
  const last = nodes.find((n) => n.output?.includes(OUTPUT_NAME));
  if (last?.opType !== 'Softmax') throw new InputError(`model output comes from ${last?.opType ?? 'the input'}, not a softmax over the classes: ONNX output '${OUTPUT_NAME}' must be probabilities`);

  const [n, h, w] = DYNAMIC_DIMS;
  return {
    irVersion: IR_VERSION,
    opsetImport: [{ domain: '', version: cfg.opset }],
    producerName: PRODUCER,
    producerVersion: covsegVersion(),
    docString: `covseg ${card.modelName}: CT slice → per-pixel class probabilities (${card.classNames.join(', ')})`,
    graph: {
      name: card.modelName,
      node: nodes,
      initializer: initializers,
      input: [floatValueInfo(INPUT_NAME, [n, 1, h, w])],
      output: [floatValueInfo(OUTPUT_NAME, [n, card.classNames.length, h, w])],
    },
    metadataProps: metadataProps(card, inputMultiple(graph)),
  };
}

/** Renames the tensor `current` to the graph output name in every node (adds an Identity if it is the graph input). */
function nameGraphOutput(nodes: OnnxNode[], current: string): void {
  if (current === OUTPUT_NAME) return;
  if (current === INPUT_NAME) {
    nodes.push(node('Identity', [INPUT_NAME], [OUTPUT_NAME], 'output_identity'));
    return;
  }
  for (const nd of nodes) {
    nd.input = nd.input!.map((t) => (t === current ? OUTPUT_NAME : t));
    nd.output = nd.output!.map((t) => (t === current ? OUTPUT_NAME : t));
  }
}

/** Converts and writes the ONNX file atomically (nothing is written when conversion fails); returns its size in bytes and node count. */
export function writeOnnxFile(file: string, model: tf.LayersModel, card: ModelCard, cfg: ExportConfig): { bytes: number; nodes: number; initializers: number } {
  const proto = tfjsToOnnx(model, card, cfg);
  const bytes = encodeModel(proto);
  writeFileAtomicSync(file, bytes);
  return { bytes: bytes.length, nodes: proto.graph!.node!.length, initializers: proto.graph!.initializer!.length };
}
