import { z } from 'zod';
import { defaultConfigSection } from '@covseg/io';
import { OnnxRuntimeConfig } from '@covseg/inference/config';

/** Opsets whose Conv/ConvTranspose/MaxPool/Resize/Softmax/Concat semantics the exporter relies on (13) up to the newest the Debian checker (onnx 1.12) knows (17). */
export const MIN_OPSET = 13;
export const MAX_OPSET = 17;

/** `export` section: ONNX export, parity check and ONNX Runtime settings. */
export const ExportConfig = z
  .object({
    /** ai.onnx opset version written into the model. */
    opset: z.number().int().min(MIN_OPSET).max(MAX_OPSET),
    /** Fold BatchNormalization into the preceding Conv/ConvTranspose where the graph allows. */
    foldBatchNorm: z.boolean(),
    verify: z
      .object({
        /** Largest allowed |Δ probability| between tfjs and ONNX Runtime. */
        maxAbsDiff: z.number().positive(),
        /** Smallest allowed fraction of pixels whose argmax label agrees. */
        minArgmaxAgreement: z.number().min(0).max(1),
        /** Synthetic phantom-like slices checked (real DICOM slices are added when present). */
        syntheticSlices: z.number().int().min(0),
        /** Real axial DICOM slices checked at most (0 = none). */
        realSlices: z.number().int().min(0),
        /** Folder searched for real DICOM slices, relative to the working directory (skipped when absent). */
        realDataDir: z.string(),
        /** Slices per forward pass in both engines. */
        batchSize: z.number().int().min(1),
        /** Seed of the synthetic slices. */
        seed: z.number().int().min(0),
        /** tfjs backend of the reference run: auto = wasm when it loads, else cpu. */
        tfjsBackend: z.enum(['auto', 'wasm', 'cpu']),
      })
      .strict(),
    runtime: OnnxRuntimeConfig,
  })
  .strict();
export type ExportConfig = z.infer<typeof ExportConfig>;

/** The `export` defaults of configs/default.json, validated. */
export const DEFAULT_EXPORT_CONFIG: ExportConfig = ExportConfig.parse(defaultConfigSection('export'));
