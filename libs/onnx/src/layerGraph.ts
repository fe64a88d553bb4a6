import type * as tf from '@tensorflow/tfjs';
import { InputError } from '@covseg/io';

/** One layer application in a functional tfjs model: its inputs and its single output, by tensor name. */
export interface LayerStep {
  layer: tf.layers.Layer;
  className: string;
  name: string;
  /** The layer's serialised config (getConfig()). */
  config: Record<string, any>;
  inputs: string[];
  output: string;
  /** Output shape NHWC as tfjs reports it (null = dynamic). */
  outputShape: (number | null)[];
}

/** A functional model's layers in topological order plus its graph input and output tensor names. */
export interface LayerGraph {
  input: string;
  /** Input shape NHWC (null = dynamic). */
  inputShape: (number | null)[];
  output: string;
  steps: LayerStep[];
}

/** Walks a functional tfjs LayersModel (single input, single output, no shared layers) in topological order. */
export function readLayerGraph(model: tf.LayersModel): LayerGraph {
  if (model.inputs.length !== 1 || model.outputs.length !== 1) {
    throw new InputError(`model has ${model.inputs.length} inputs and ${model.outputs.length} outputs; the exporter handles exactly one of each`);
  }
  const steps: LayerStep[] = [];
  for (const layer of model.layers) {
    const className = layer.getClassName();
    if (className === 'InputLayer') continue;
    const nodes = layer.inboundNodes;
    if (nodes.length !== 1) throw new InputError(`layer '${layer.name}' (${className}) is applied ${nodes.length} times; shared layers are not supported`);
    const n = nodes[0];
    if (n.outputTensors.length !== 1) throw new InputError(`layer '${layer.name}' (${className}) has ${n.outputTensors.length} outputs; only single-output layers are supported`);
    steps.push({
      layer,
      className,
      name: layer.name,
      config: layer.getConfig() as Record<string, any>,
      inputs: n.inputTensors.map((t) => t.name),
      output: n.outputTensors[0].name,
      outputShape: n.outputTensors[0].shape as (number | null)[],
    });
  }
  const inputShape = model.inputs[0].shape as (number | null)[];
  if (inputShape.length !== 4 || inputShape[3] !== 1) throw new InputError(`model input shape is [${inputShape.join(', ')}]; expected [N, H, W, 1] (one CT channel, NHWC)`);
  return { input: model.inputs[0].name, inputShape, output: model.outputs[0].name, steps };
}

/** How many steps read each tensor (the graph output counts as one reader). */
export function tensorReaders(graph: LayerGraph): Map<string, number> {
  const readers = new Map<string, number>([[graph.output, 1]]);
  for (const s of graph.steps) for (const t of s.inputs) readers.set(t, (readers.get(t) ?? 0) + 1);
  return readers;
}
