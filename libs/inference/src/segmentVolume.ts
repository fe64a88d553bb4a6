import { InputError, startProgress, type LabelVolume, type Volume, LABEL } from '@covseg/io';
import { normalizeWindow, resizeBilinear, resizeNearest, CLASS_COUNT } from '@covseg/unet';
import type { PredictConfig } from './config.js';
import type { Segmenter } from './segmenter.js';
import { applyLungMask, keepLargestComponent } from './postprocess.js';

export interface SegmentVolumeOptions {
  batchSize: number;
  postprocess: PredictConfig['postprocess'];
  connectivity: 6 | 26;
  /** Average the probabilities with those of the left–right mirrored slices (test-time flip). */
  testTimeFlip?: boolean;
  /** Lung mask on the volume's grid (1 = lung); without one the lung-mask rules are skipped. */
  lungMask?: Uint8Array;
  quiet?: boolean;
  /** Progress bar title. */
  title?: string;
}

export interface SegmentedVolume {
  labels: LabelVolume;
  /** Per slice: mean max-probability over pixels predicted non-background (all pixels when none). */
  sliceConfidence: Float32Array;
  /** Seconds in the engine (forward passes) and outside it (windowing, resizing, arg-max, post-processing). */
  timings: { inference_s: number; processing_s: number };
}

/** Arg-max label and max probability per pixel of one NCHW probability plane set [classes, h·w]. */
function argmaxPlanar(p: Float32Array, px: number): { labels: Uint8Array; maxProb: Float32Array } {
  const labels = new Uint8Array(px);
  const maxProb = new Float32Array(px);
  for (let i = 0; i < px; i++) {
    let best = 0;
    let bestP = p[i];
    for (let c = 1; c < CLASS_COUNT; c++) {
      const v = p[c * px + i];
      if (v > bestP) (best = c), (bestP = v);
    }
    labels[i] = best;
    maxProb[i] = bestP;
  }
  return { labels, maxProb };
}

/** Mirrors every row of `planes` (rows of `w` values) left–right; an involution, so it also maps back. */
export function mirrorRows(planes: Float32Array, w: number): Float32Array {
  const out = new Float32Array(planes.length);
  for (let row = 0; row < planes.length; row += w) for (let x = 0; x < w; x++) out[row + x] = planes[row + w - 1 - x];
  return out;
}

/** Mean of maxProb over pixels labelled non-background (over all pixels when there are none). */
function sliceConfidenceOf(labels: Uint8Array, maxProb: Float32Array): number {
  let sum = 0, n = 0, all = 0;
  for (let i = 0; i < labels.length; i++) {
    all += maxProb[i];
    if (labels[i] !== LABEL.background) (sum += maxProb[i]), n++;
  }
  return n ? sum / n : all / labels.length;
}

/**
 * Segments a CT volume slice by slice in batches: HU window → bilinear resize to the model input →
 * engine (with `testTimeFlip`, the mean of the slices' and their mirror images' probabilities) → arg-max →
 * nearest-neighbour back to the slice size; then the lung-mask rules and the optional largest-component cleanup. Labels keep the volume's geometry.
 */
export async function segmentVolume(volume: Volume, segmenter: Segmenter, opts: SegmentVolumeOptions): Promise<SegmentedVolume> {
  const [nz, ny, nx] = volume.shape;
  const [h, w] = segmenter.inputSize;
  const plane = ny * nx;
  const px = h * w;
  if (opts.lungMask && opts.lungMask.length !== volume.data.length) throw new InputError(`lung mask has ${opts.lungMask.length} voxels, volume ${volume.data.length}`);
  const window = { low: segmenter.window[0], high: segmenter.window[1] };
  const data = new Uint8Array(nz * plane);
  const sliceConfidence = new Float32Array(nz);
  const progress = startProgress(opts.title ?? `segment (${segmenter.name})`, nz, { quiet: opts.quiet });
  let inference = 0;
  const t0 = performance.now();
  try {
    for (let start = 0; start < nz; start += opts.batchSize) {
      const n = Math.min(opts.batchSize, nz - start);
      const batch = new Float32Array(n * px);
      for (let k = 0; k < n; k++) {
        const z = start + k;
        const slice = normalizeWindow(volume.data.subarray(z * plane, (z + 1) * plane), window, undefined, `slice ${z}`);
        batch.set(resizeBilinear(slice, ny, nx, h, w), k * px);
      }
      const ti = performance.now();
      const probs = await segmenter.predict(batch, n, h, w);
      if (opts.testTimeFlip) {
        // the chest is near-symmetric left–right, so the mirror image is a second, equally plausible view
        const back = mirrorRows(await segmenter.predict(mirrorRows(batch, w), n, h, w), w);
        for (let i = 0; i < probs.length; i++) probs[i] = 0.5 * (probs[i] + back[i]);
      }
      inference += performance.now() - ti;
      if (probs.length !== n * CLASS_COUNT * px) throw new InputError(`segmenter returned ${probs.length} values, expected ${n}·${CLASS_COUNT}·${h}·${w}`);
      for (let k = 0; k < n; k++) {
        const z = start + k;
        const { labels, maxProb } = argmaxPlanar(probs.subarray(k * CLASS_COUNT * px, (k + 1) * CLASS_COUNT * px), px);
        sliceConfidence[z] = sliceConfidenceOf(labels, maxProb);
        data.set(resizeNearest(labels, h, w, ny, nx), z * plane);
        progress.tick(`slice ${z + 1}/${nz}`);
      }
    }
  } finally {
    progress.stop();
  }
  const labels: LabelVolume = { data, shape: [...volume.shape], spacing: [...volume.spacing], origin: [...volume.origin], direction: [...volume.direction] };
  if (opts.lungMask) applyLungMask(data, opts.lungMask, opts.postprocess);
  for (const name of opts.postprocess.largestComponent) keepLargestComponent(labels, LABEL[name], opts.connectivity);
  return { labels, sliceConfidence, timings: { inference_s: inference / 1000, processing_s: (performance.now() - t0 - inference) / 1000 } };
}
