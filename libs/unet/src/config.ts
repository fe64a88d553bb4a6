import { z } from 'zod';

/** HU window mapped to [0, 1] at the network input (paper: [-1024, 300]). */
export const WindowConfig = z
  .object({
    low: z.number(),
    high: z.number(),
  })
  .strict()
  .refine((w) => w.high > w.low, { message: 'window.high must be above window.low' });
export type WindowConfig = z.infer<typeof WindowConfig>;

/** `unet` section: the architecture and its input contract. */
export const UnetConfig = z
  .object({
    /** Square input size in pixels (paper 512, demo 128); must be divisible by 2^depth. */
    inputSize: z.number().int().min(8),
    /** Number of 2× poolings. */
    depth: z.number().int().min(1).max(6),
    /** Filters of the first level; doubled at each level down. */
    baseFilters: z.number().int().min(1),
    kernelSize: z.number().int().min(1).max(7),
    batchNorm: z.boolean(),
    /** Momentum of batch-norm moving statistics (Keras default 0.99; lower suits short runs). */
    batchNormMomentum: z.number().min(0).max(1),
    /** Dropout rate at the bottleneck (0 = none). */
    dropout: z.number().min(0).max(0.9),
    upsampling: z.enum(['transpose', 'upsample']),
    window: WindowConfig,
    /** Seed of the weight initialisers. */
    seed: z.number().int().min(0),
  })
  .strict()
  .refine((c) => c.inputSize % 2 ** c.depth === 0, { message: 'unet.inputSize must be divisible by 2^depth' });
export type UnetConfig = z.infer<typeof UnetConfig>;

const Prob = z.number().min(0).max(1);
const Range = z.tuple([z.number(), z.number()]).refine(([a, b]) => b >= a, { message: 'range must be [min, max]' });

/** `augment` section: each transform has a probability and a range (applied to image and label together). */
export const AugmentConfig = z
  .object({
    enabled: z.boolean(),
    /** Additive Gaussian noise; sigma in normalised intensity units (1 = the whole HU window). */
    noise: z.object({ p: Prob, sigma: Range }).strict(),
    /** Isotropic zoom factor. */
    scale: z.object({ p: Prob, range: Range }).strict(),
    /** Rotation angle, degrees. */
    rotation: z.object({ p: Prob, degrees: Range }).strict(),
    /** Gaussian blur of the image, sigma in pixels. */
    blur: z.object({ p: Prob, sigma: Range }).strict(),
    /** Left-right and up-down flips. */
    flipX: z.object({ p: Prob }).strict(),
    flipY: z.object({ p: Prob }).strict(),
  })
  .strict();
export type AugmentConfig = z.infer<typeof AugmentConfig>;

/** `train` section: optimisation, data split, loss, long-run behaviour. */
export const TrainConfig = z
  .object({
    seed: z.number().int().min(0),
    epochs: z.number().int().min(1),
    /** Training steps per epoch; 0 = one pass over the training slices. */
    stepsPerEpoch: z.number().int().min(0),
    batchSize: z.number().int().min(1),
    learningRate: z.number().positive(),
    /** Learning-rate schedule over all epochs × stepsPerEpoch steps: warm-up, then constant or cosine decay. */
    schedule: z.object({ kind: z.enum(['constant', 'cosine']), warmupSteps: z.number().int().min(0), minFactor: z.number().min(0).max(1) }).strict(),
    adam: z.object({ beta1: z.number().min(0).max(1), beta2: z.number().min(0).max(1), epsilon: z.number().positive() }).strict(),
    /** Fraction of patients (caseIds) held out for validation. */
    validationFraction: z.number().min(0).max(0.9),
    /** Cap on validation slices per epoch (0 = all). */
    validationMaxSlices: z.number().int().min(0),
    /** Slices held in the shuffle buffer (bounds memory: 512² ≈ 0.8 MB each). */
    shuffleBuffer: z.number().int().min(1),
    /** Sample slices with replacement, weighted toward slices that contain rare classes. */
    classBalanced: z.boolean(),
    /** Slices flagged corrected (import-corrections) are drawn this many times as often as the others (1 = not oversampled). */
    correctedOversample: z.number().min(1),
    loss: z
      .object({
        crossEntropyWeight: z.number().min(0),
        diceWeight: z.number().min(0),
        /** Per-class weights, label values 0..4. */
        classWeights: z.array(z.number().min(0)).length(5),
        /** Smoothing term of the soft Dice, pixels. */
        diceSmooth: z.number().min(0),
        /** Weight of a corrected slice's pixels in the loss, relative to the others' 1 (1 = unweighted). */
        correctedWeight: z.number().min(0),
      })
      .strict(),
    /** Stop when validation lesion Dice has not improved by minDelta for `patience` epochs (0 = never). */
    earlyStopping: z.object({ patience: z.number().int().min(0), minDelta: z.number().min(0) }).strict(),
    /** Extra mid-epoch checkpoints every N steps (0 = end of epoch only). */
    checkpointEverySteps: z.number().int().min(0),
    /** Epoch checkpoints kept on disk (older ones are deleted). */
    keepCheckpoints: z.number().int().min(1),
  })
  .strict();
export type TrainConfig = z.infer<typeof TrainConfig>;

/** Training steps in one epoch: train.stepsPerEpoch, or when it is 0 one pass over `trainingSlices` in batches. */
export function stepsPerEpochOf(train: Pick<TrainConfig, 'stepsPerEpoch' | 'batchSize'>, trainingSlices: number): number {
  return train.stepsPerEpoch || Math.ceil(trainingSlices / train.batchSize);
}

/** The sections `covseg train` reads. */
export const TrainingSections = z.object({ unet: UnetConfig, augment: AugmentConfig, train: TrainConfig }).strict();
export type TrainingSections = z.infer<typeof TrainingSections>;
