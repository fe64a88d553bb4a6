import { z } from 'zod';
import { ingestConfigSchema } from '@covseg/io';
import { phantomConfigSchema } from '@covseg/phantom';
import { UnetConfig, AugmentConfig, TrainConfig } from '@covseg/unet/config';
import { PredictConfig, RelabelConfig } from '@covseg/inference/config';
import { EvaluateConfig } from '@covseg/evaluate';
import { ExportConfig } from '@covseg/onnx/config';
import { featuresConfigSchema, lungmaskConfigSchema } from '@covseg/features';
import { clusterConfigSchema, pseudolabelConfigSchema, reviewConfigSchema } from '@covseg/pseudolabel';
import { pipelineConfigSchema } from './pipelineConfig.js';

/** The whole covseg config: one section per library concern (each lib owns its schema). */
export const configSchema = z
  .object({
    pipeline: pipelineConfigSchema,
    phantom: phantomConfigSchema,
    ingest: ingestConfigSchema,
    lungmask: lungmaskConfigSchema,
    features: featuresConfigSchema,
    cluster: clusterConfigSchema,
    pseudolabel: pseudolabelConfigSchema,
    review: reviewConfigSchema,
    unet: UnetConfig,
    augment: AugmentConfig,
    train: TrainConfig,
    relabel: RelabelConfig,
    predict: PredictConfig,
    evaluate: EvaluateConfig,
    export: ExportConfig,
  })
  .strict();

export type CovsegConfig = z.infer<typeof configSchema>;
