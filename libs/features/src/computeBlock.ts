import { symmetricEigenvalues2, symmetricEigenvalues3, sortByAbs3 } from './eigenvalues.js';
import { frangiTerms, frangiVesselness, frangiVesselness2d } from './frangi.js';
import { gaussianFilter } from './gaussian.js';
import { gradientField, hessianAt, type GradientField } from './hessian.js';
import { planChannels, type FilterPlan } from './filterPlan.js';
import type { PerAxis, Shape3 } from './shape.js';

/** One z-slab of a volume (with halo) and the voxels of it to evaluate. */
export interface BlockTask {
  /** Slab values (HU), index = x + nx*(y + ny*z) within the slab. */
  values: Int16Array | Float32Array;
  shape: Shape3;
  /** Inner slices [z0, z1) of the slab whose voxels are outputs. */
  inner: [number, number];
  /** Slab-relative voxel indices to evaluate (ascending, inside `inner`); absent = every inner voxel. */
  indices?: Uint32Array;
  plan: FilterPlan;
}

/** Features of a block's voxels, row-major: rows × channels float32. */
export function computeBlock(task: BlockTask): Float32Array {
  const { shape, plan } = task;
  const [, ny, nx] = shape;
  const plane = ny * nx;
  const C = planChannels(plan).length;
  const first = task.inner[0] * plane;
  const rows = task.indices ? task.indices.length : (task.inner[1] - task.inner[0]) * plane;
  const idx = task.indices;
  const at = (r: number) => (idx ? idx[r] : first + r);
  const out = new Float32Array(rows * C);
  const f = task.values instanceof Float32Array ? task.values : Float32Array.from(task.values);
  let c = 0;
  if (plan.hu) {
    for (let r = 0; r < rows; r++) out[r * C] = f[at(r)];
    c++;
  }
  const G = new Float32Array(f.length);
  if (plan.smooth) {
    gaussianFilter(f, shape, plan.smooth.sigma, { mode: 'nearest', truncate: plan.truncate }, G);
    for (let r = 0; r < rows; r++) out[r * C + c] = G[at(r)];
    c++;
  }
  // one Gaussian + gradient field per distinct scale, shared by the Hessian channels and Frangi
  const scales = distinctScales(plan);
  const hessCol = plan.hessian ? c : -1;
  const two = plan.dims === 2;
  const frangiCol = c + (plan.hessian ? (two ? 2 : 3) : 0);
  const nf = plan.frangi ? plan.frangi.sigmas.length : 0;
  const maxCol = plan.frangi?.max ? frangiCol + (plan.frangi.perSigma ? nf : 0) : -1;
  const bufs = { gx: new Float32Array(f.length), gy: new Float32Array(f.length), gz: new Float32Array(f.length) };
  const terms = plan.frangi ? frangiTerms(plan.frangi.alpha, plan.frangi.beta, plan.frangi.gamma) : undefined;
  for (const s of scales) {
    gaussianFilter(f, shape, s.sigma, { mode: plan.mode, cval: plan.cval, truncate: plan.truncate }, G);
    const field = gradientField(G, shape, plan.h, bufs);
    (two ? evaluateScale2d : evaluateScale)(field, rows, at, out, C, {
      hessCol: s.hessian ? hessCol : -1,
      hessian: plan.hessian,
      frangi: s.frangi.map((k) => ({ col: plan.frangi!.perSigma ? frangiCol + k : -1, scale: plan.frangi!.scales[k] })),
      maxCol,
      terms,
    });
  }
  return out;
}

interface ScaleWork {
  hessCol: number;
  hessian: FilterPlan['hessian'];
  frangi: { col: number; scale: number }[];
  maxCol: number;
  terms?: ReturnType<typeof frangiTerms>;
}

/** Distinct Gaussian scales of a plan and which outputs each feeds. */
function distinctScales(plan: FilterPlan): { sigma: PerAxis; hessian: boolean; frangi: number[] }[] {
  const list: { sigma: PerAxis; hessian: boolean; frangi: number[] }[] = [];
  const find = (s: PerAxis) => {
    let e = list.find((x) => x.sigma[0] === s[0] && x.sigma[1] === s[1] && x.sigma[2] === s[2]);
    if (!e) list.push((e = { sigma: s, hessian: false, frangi: [] }));
    return e;
  };
  if (plan.hessian) find(plan.hessian.sigma).hessian = true;
  plan.frangi?.sigmas.forEach((s, k) => find(s).frangi.push(k));
  return list;
}

/** Per-voxel Hessian → eigenvalues / diagonal / Frangi for one scale. */
function evaluateScale(field: GradientField, rows: number, at: (r: number) => number, out: Float32Array, C: number, w: ScaleWork): void {
  const [, ny, nx] = field.shape;
  const plane = nx * ny;
  const H = new Float64Array(6);
  const S = new Float64Array(6);
  const ev = new Float64Array(3);
  const hs = w.hessian;
  for (let r = 0; r < rows; r++) {
    const i = at(r);
    const z = (i / plane) | 0;
    const rem = i - z * plane;
    const y = (rem / nx) | 0;
    const x = rem - y * nx;
    hessianAt(field, i, x, y, z, H);
    const o = r * C;
    if (w.hessCol >= 0 && hs) {
      scaleInto(H, hs.scale, S);
      if (hs.kind === 'diagonal') {
        out[o + w.hessCol] = S[0];
        out[o + w.hessCol + 1] = S[3];
        out[o + w.hessCol + 2] = S[5];
      } else {
        symmetricEigenvalues3(S[0], S[1], S[2], S[3], S[4], S[5], ev);
        if (hs.order === 'abs') sortByAbs3(ev);
        out[o + w.hessCol] = ev[0];
        out[o + w.hessCol + 1] = ev[1];
        out[o + w.hessCol + 2] = ev[2];
      }
    }
    // positive definite Hessian (dark blob / background curvature): all λ > 0, so Frangi is exactly 0 — skip the eigenvalues
    if (w.frangi.length && isPositiveDefinite(H)) continue;
    for (const fr of w.frangi) {
      scaleInto(H, fr.scale, S);
      symmetricEigenvalues3(S[0], S[1], S[2], S[3], S[4], S[5], ev);
      sortByAbs3(ev);
      const v = frangiVesselness(ev[0], ev[1], ev[2], w.terms!);
      if (fr.col >= 0) out[o + fr.col] = v;
      if (w.maxCol >= 0 && v > out[o + w.maxCol]) out[o + w.maxCol] = v;
    }
  }
}

/** The 2D version of `evaluateScale` (one slice): the in-plane Hessian [Hxx, Hxy, Hyy] only. */
function evaluateScale2d(field: GradientField, rows: number, at: (r: number) => number, out: Float32Array, C: number, w: ScaleWork): void {
  const [, ny, nx] = field.shape;
  const H = new Float64Array(6);
  const S = new Float64Array(6);
  const ev = new Float64Array(2);
  const hs = w.hessian;
  for (let r = 0; r < rows; r++) {
    const i = at(r);
    const y = (i / nx) | 0;
    const x = i - y * nx;
    if (y >= ny) throw new Error('2D features need a single slice');
    hessianAt(field, i, x, y, 0, H);
    const o = r * C;
    if (w.hessCol >= 0 && hs) {
      scaleInto(H, hs.scale, S);
      if (hs.kind === 'diagonal') (out[o + w.hessCol] = S[0]), (out[o + w.hessCol + 1] = S[3]);
      else {
        symmetricEigenvalues2(S[0], S[1], S[3], ev);
        if (hs.order === 'decreasing' && ev[0] < ev[1]) [ev[0], ev[1]] = [ev[1], ev[0]];
        (out[o + w.hessCol] = ev[0]), (out[o + w.hessCol + 1] = ev[1]);
      }
    }
    for (const fr of w.frangi) {
      scaleInto(H, fr.scale, S);
      symmetricEigenvalues2(S[0], S[1], S[3], ev);
      const v = frangiVesselness2d(ev[0], ev[1], w.terms!);
      if (fr.col >= 0) out[o + fr.col] = v;
      if (w.maxCol >= 0 && v > out[o + w.maxCol]) out[o + w.maxCol] = v;
    }
  }
}

/** σ²-scaled Hessian elements, float32-rounded as skimage's `sigma**2 * e` on float32 arrays. */
function scaleInto(H: Float64Array, scale: number, S: Float64Array): void {
  if (scale === 1) {
    S.set(H);
    return;
  }
  for (let k = 0; k < 6; k++) S[k] = Math.fround(H[k] * scale);
}

/** Sylvester's criterion on [[xx, xy, xz], [xy, yy, yz], [xz, yz, zz]]: leading minors all > 0. */
function isPositiveDefinite(H: Float64Array): boolean {
  const a = H[0], b = H[1], c = H[2], d = H[3], e = H[4], f = H[5];
  if (a <= 0) return false;
  const m2 = a * d - b * b;
  if (m2 <= 0) return false;
  return a * (d * f - e * e) - b * (b * f - e * c) + c * (b * e - d * c) > 0;
}
