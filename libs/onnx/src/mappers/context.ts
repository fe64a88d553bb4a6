import type { LayerStep } from '../layerGraph.js';
import type { OnnxNode, OnnxTensor } from '@covseg/inference';

/** A layer's weights by their short name (kernel, bias, gamma, …), row-major as tfjs holds them. */
export type LayerWeights = Map<string, { data: Float32Array; shape: number[] }>;

/** Per-channel affine y = x·scale + shift that a folded BatchNormalization adds after a conv. */
export interface ChannelAffine {
  scale: Float64Array;
  shift: Float64Array;
}

/** What a layer mapper may do to the ONNX graph under construction. */
export interface EmitContext {
  opset: number;
  /** ONNX name of a tfjs tensor (follows aliases of identity layers). */
  tensor(tfName: string): string;
  /** Appends a node. */
  add(node: OnnxNode): void;
  /** Adds an initializer; returns its name. */
  initializer(t: OnnxTensor): string;
  /** Makes `tfName` refer to the same ONNX tensor as `sourceTfName` (no node). */
  alias(tfName: string, sourceTfName: string): void;
  /** A fresh name for an intermediate tensor or node of `step`. */
  fresh(step: LayerStep, suffix: string): string;
}

/** Emits the ONNX nodes of one tfjs layer; `fold` is a BatchNormalization folded into this conv's output. */
export type LayerMapper = (step: LayerStep, weights: LayerWeights, ctx: EmitContext, fold?: ChannelAffine) => void;
