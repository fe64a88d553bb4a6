/**
 * The label values of every covseg label map (pseudo-labels, U-Net outputs, predictions, references
 * after mapping), their names and their one display palette. docs/labels.md explains the classes.
 */

/** Label value of each class. */
export const LABEL = { background: 0, lung: 1, ggo: 2, consolidation: 3, vessels: 4 } as const;
/** A class name. */
export type LabelName = keyof typeof LABEL;

/** Class names indexed by label value (reports, legends, the U-Net's output channels, ONNX class_names). */
export const LABEL_NAMES = ['background', 'lung', 'ggo', 'consolidation', 'vessels'] as const satisfies readonly LabelName[];
/** Number of label values (0 … LABEL_COUNT − 1). */
export const LABEL_COUNT = LABEL_NAMES.length;

/** Lesion label values: GGO ∪ consolidation (vessels are not lesion). */
export const LESION_LABELS = [LABEL.ggo, LABEL.consolidation] as const;
/** Whether label value v is a lesion (GGO or consolidation). */
export const isLesion = (v: number): boolean => v === LABEL.ggo || v === LABEL.consolidation;

/** Display colours (RGB) of label values 1–4: overlays, the run report, training previews, correction pages. */
export const LABEL_COLOURS: Record<number, [number, number, number]> = {
  [LABEL.lung]: [60, 180, 75],
  [LABEL.ggo]: [255, 215, 0],
  [LABEL.consolidation]: [230, 25, 75],
  [LABEL.vessels]: [0, 130, 200],
};
