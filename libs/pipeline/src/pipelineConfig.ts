import { z } from 'zod';
import { BACKEND_NAMES } from '@covseg/tfjs-backend/config';
import { TrainConfig } from '@covseg/unet/config';

/** `pipeline` section: what `covseg pipeline` runs on and how it splits the cohort. */
export const pipelineConfigSchema = z
  .object({
    /** Cohort inputs (DICOM folders, volume files, folders of cases). Empty: generate a phantom cohort. */
    inputs: z.array(z.string()),
    /** Phantom cases generated when `inputs` is empty. */
    phantomCases: z.number().int().min(0),
    phantomSeed: z.union([z.number(), z.string()]),
    /** Cases with reference labels kept out of training, for predict + evaluate. */
    heldOutCases: z.number().int().min(0),
    /** At least this many of the held-out cases are lesion-free (reference without GGO/consolidation), when the cohort has them: a score on healthy lungs too. */
    heldOutLesionFree: z.number().int().min(0),
    /** Folder or file of corrected labels for import-corrections (null: stage skipped). */
    corrections: z.string().nullable(),
    /** Cases the final `predict` stage segments: the held-out ones, or every usable case (e.g. STOIC's per-patient CSV). */
    predictCases: z.enum(['heldOut', 'all']),
    /**
     * Expert reference labels scored by `evaluate` instead of the held-out phantom truth: a folder of label maps
     * whose file stem is a case id (e.g. COVID-SemiSeg GT/<n>.png for images <n>.jpg), read through a named
     * `evaluate.maps` entry. Null: the held-out cases' own labels.
     */
    reference: z.object({ labels: z.string(), map: z.string() }).strict().nullable(),
    /**
     * Radiologists' per-slice labels scored by `evaluate` (slice-level AUC, sensitivity, specificity; VRall of
     * normal scans): one CSV per input series, `input` as written in `inputs` (e.g. COVID-CT-MD's P001 + its CSV).
     */
    sliceLabels: z.array(z.object({ input: z.string(), csv: z.string() }).strict()),
    /** With a reference: the report shows this many best and this many worst cases (by lesion Dice). */
    galleryBestWorst: z.number().int().min(0),
    /** Shard stores whose slices join Unet-A's training set (e.g. a phantom run's pseudolabel/shards); [] = none. */
    extraTrainingShards: z.array(z.string()),
    /** Unet-B's first weights: random ('scratch', as the paper) or Unet-A's ('unet-a': fine-tuning, fewer steps). */
    unetBStart: z.enum(['scratch', 'unet-a']),
    /** Keys of the `train` section that differ for Unet-B (e.g. fewer epochs or a lower rate when it starts from Unet-A). */
    unetBTrain: TrainConfig.partial(),
    /** tfjs backend for training and tfjs inference (auto: the fastest that loads). */
    backend: z.enum(BACKEND_NAMES),
    /** Worker threads of the native-cpu backend's kernels (0 = the cores Node sees). */
    threads: z.number().int().min(0),
  })
  .strict();

export type PipelineConfig = z.infer<typeof pipelineConfigSchema>;
