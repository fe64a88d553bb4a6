import { readFileSync } from 'node:fs';
import { InputError } from '@covseg/io';

/** Graph input and output names every covseg ONNX file uses. */
export const INPUT_NAME = 'input';
export const OUTPUT_NAME = 'probabilities';

/** What a consumer of the ONNX file needs to know besides the graph. */
export interface ModelCard {
  /** e.g. 'unet-a'. */
  modelName: string;
  /** Output channel names, in channel order. */
  classNames: string[];
  /** Label value of each output channel (docs/labels.md: 0 bg, 1 lung, 2 GGO, 3 consolidation, 4 vessels). */
  labelValues: number[];
  /** HU window mapped to [0, 1] at the input. */
  window: { low: number; high: number };
  /** Training input size [H, W], pixels. */
  inputSize: [number, number];
  /** Hash of the training config the weights came from ('' when unknown). */
  trainingConfigHash: string;
}

/** Version of the covseg workspace (root package.json). */
export function covsegVersion(): string {
  const pkg = JSON.parse(readFileSync(new URL('../../../../package.json', import.meta.url), 'utf8')) as { version: string };
  return pkg.version;
}

/** Human-readable input normalisation for a window. */
export function normalisationText(w: ModelCard['window']): string {
  return `x = (clip(HU, ${w.low}, ${w.high}) - (${w.low})) / ${w.high - w.low}, float32 in [0, 1], NCHW [N, 1, H, W]`;
}

/** metadata_props entries (values are JSON or plain text). */
export function metadataProps(card: ModelCard, inputMultiple: number): { key: string; value: string }[] {
  const entries: Record<string, string> = {
    model_name: card.modelName,
    class_names: JSON.stringify(card.classNames),
    label_values: JSON.stringify(card.labelValues),
    hu_window: JSON.stringify([card.window.low, card.window.high]),
    normalisation: normalisationText(card.window),
    input_size: JSON.stringify(card.inputSize),
    input_multiple: String(inputMultiple),
    training_config_hash: card.trainingConfigHash,
    covseg_version: covsegVersion(),
  };
  return Object.entries(entries).map(([key, value]) => ({ key, value }));
}

/** ModelCard + extras read back from metadata_props; throws InputError naming a missing key. */
export function cardFromMetadata(props: readonly { key?: string | null; value?: string | null }[], source: string): ModelCard & { inputMultiple: number; covsegVersion: string } {
  const m = new Map(props.map((p) => [p.key ?? '', p.value ?? '']));
  const get = (k: string) => {
    const v = m.get(k);
    if (v === undefined) throw new InputError(`ONNX metadata_props lacks '${k}' (not exported by covseg-export?)`, source);
    return v;
  };
  const [low, high] = JSON.parse(get('hu_window')) as [number, number];
  return {
    modelName: get('model_name'),
    classNames: JSON.parse(get('class_names')),
    labelValues: JSON.parse(get('label_values')),
    window: { low, high },
    inputSize: JSON.parse(get('input_size')),
    trainingConfigHash: get('training_config_hash'),
    inputMultiple: Number(get('input_multiple')),
    covsegVersion: get('covseg_version'),
  };
}
