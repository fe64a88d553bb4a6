import { z } from 'zod';

/** `predict` section: slice-wise inference, lung-masked post-processing, report and DICOM output. */
export const PredictConfig = z
  .object({
    /** Slices per forward pass. */
    batchSize: z.number().int().min(1),
    /** Average each slice's class probabilities with those of its left–right mirror image (twice the forward passes). */
    testTimeFlip: z.boolean(),
    postprocess: z
      .object({
        /** Labels outside the lung mask → 0 (background). */
        maskOutsideLung: z.boolean(),
        /** Inside the lung mask, predicted background → 1 (lung). */
        fillLungBackground: z.boolean(),
        /** Classes (ggo, consolidation, vessels) reduced to their largest 3D component; the rest → lung. */
        largestComponent: z.array(z.enum(['ggo', 'consolidation', 'vessels'])),
      })
      .strict(),
    report: z
      .object({
        /** Lesion (GGO ∪ consolidation) components listed in report.json, largest first. */
        largestLesions: z.number().int().min(0),
        /** 3D neighbourhood of connected components: 6 (faces) or 26 (faces, edges, corners). */
        connectivity: z.union([z.literal(6), z.literal(26)]),
      })
      .strict(),
    dicom: z
      .object({
        /** Write DIR/dicom/seg.dcm (DICOM SEG). */
        enabled: z.boolean(),
        seriesNumber: z.number().int().min(0),
        seriesDescription: z.string(),
      })
      .strict(),
  })
  .strict();
export type PredictConfig = z.infer<typeof PredictConfig>;

// `@covseg/inference/config`: every config schema of this lib, loadable without tfjs.
export { RelabelConfig } from './relabel/config.js';
export { OnnxRuntimeConfig, DEFAULT_ONNX_RUNTIME_CONFIG } from './onnxRuntime/runtimeConfig.js';
