// `node --import tsx tools/lungmask-study.ts [--cases N] [--phantom-only] [--overlays DIR] [--set lungmask.key=value ...]`: how much
// pathology the classical lung mask keeps and how far it leaks, on phantom cases (exact truth) and on the 50
// COVID-SemiSeg training pictures (expert lesion masks; window `auto` pooled per folder, as configs/real-slices.json).
// The expert masks are an evaluation set: this script only measures; nothing here is tuned to them.
import { existsSync, mkdirSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { PNG } from 'pngjs';
import { defaultConfigSection, ingestConfigSchema, readVolume, sliceCaseReader, LABEL } from '@covseg/io';
import { generatePhantomCase, phantomConfigSchema } from '@covseg/phantom';
import { lungMask, lungmaskConfigSchema } from '@covseg/features';
import { readLabelPng } from '@covseg/evaluate';
import { LEAK_MARGIN_MM, lungMaskAgreement, pictureLeakage, PLEURAL_MM } from './lungmaskMetrics.js';

const root = new URL('..', import.meta.url).pathname;
const args = process.argv.slice(2);
const opt = (name: string) => {
  const k = args.indexOf(name);
  return k >= 0 ? args[k + 1] : undefined;
};
const overrides = args.flatMap((a, k) => (args[k - 1] === '--set' ? [a] : []));
const lmRaw = defaultConfigSection('lungmask') as Record<string, unknown>;
for (const o of overrides) {
  const [path, value] = o.split('=');
  const keys = path.replace(/^lungmask\./, '').split('.');
  let at = lmRaw as Record<string, unknown>;
  for (const k of keys.slice(0, -1)) at = at[k] as Record<string, unknown>;
  at[keys.at(-1)!] = JSON.parse(value);
}
const cfg = lungmaskConfigSchema.parse(lmRaw);
const phantomCfg = phantomConfigSchema.parse(defaultConfigSection('phantom'));
/** CPU seconds of this process (user + system): wall time means little on a shared machine. */
const cpuSeconds = () => {
  const u = process.cpuUsage();
  return (u.user + u.system) / 1e6;
};
/** Soft-tissue density (HU): what an aerated lung holds only in vessels. */
const DENSE_HU = -300;
const cases = Number(opt('--cases') ?? 8);
const overlays = opt('--overlays');
const pct = (x: number) => (100 * x).toFixed(1).padStart(5);

// ---- phantom: the default cohort's first cases (seed 1, as the demo), plus their lesion-free ones left out
console.log(`phantom: ${cases} cases of ${phantomCfg.shape.join('×')} (seed "1:i", the demo's cohort seed), lesion cases only`);
console.log(`case      lesionIn%  pleuralIn%(≤${PLEURAL_MM} mm)  lungDice  outside%  leak%(>${LEAK_MARGIN_MM} mm)  leakMl      s`);
let lesionAll = 0, lesionInAll = 0, pleuralAll = 0, pleuralInAll = 0, outsideAll = 0, leakAll = 0, maskAll = 0, tPh = 0;
const dices: number[] = [];
for (let i = 0; i < cases; i++) {
  const c = generatePhantomCase(phantomCfg, `1:${i}`);
  if (c.info.healthy) continue;
  const t0 = cpuSeconds();
  const m = lungMask(c.image, cfg).data;
  const s = cpuSeconds() - t0;
  tPh += s;
  const a = lungMaskAgreement(m, c.label.data, c.label.shape, c.label.spacing, LABEL.lung);
  lesionAll += a.lesion;
  lesionInAll += a.lesionIn;
  leakAll += a.leak;
  outsideAll += a.outside;
  pleuralAll += a.pleuralLesion;
  pleuralInAll += a.pleuralLesionIn;
  maskAll += a.mask;
  dices.push(a.dice);
  const voxelMl = c.label.spacing.reduce((p, v) => p * v, 1) / 1000;
  console.log(`1:${i}`.padEnd(9), pct(a.lesionIn / a.lesion).padStart(9), (a.pleuralLesion ? pct(a.pleuralLesionIn / a.pleuralLesion) : '    –').padStart(21), a.dice.toFixed(4).padStart(9), pct(a.outside / a.mask).padStart(9), pct(a.leak / a.mask).padStart(15), (a.leak * voxelMl).toFixed(2).padStart(7), s.toFixed(2).padStart(6));
}
if (dices.length) console.log(`pooled: lesion inside ${pct(lesionInAll / lesionAll)} % (pleural ${pct(pleuralInAll / pleuralAll)} %), lung Dice mean ${(dices.reduce((p, v) => p + v, 0) / dices.length).toFixed(4)} min ${Math.min(...dices).toFixed(4)}, outside truth ${pct(outsideAll / maskAll)} %, leak ${pct(leakAll / maskAll)} % of mask, ${(tPh / dices.length).toFixed(2)} CPU s per volume`);

// ---- the 50 COVID-SemiSeg pictures
const SEMI = join(root, '..', 'shared', 'data', 'infnet-covid-semiseg-train', 'MultiClassInfection-Train');
// ---- real axial slices in HU without lesion truth (COVID-19-NY-SBU, the 12 with lungs): what the bays add to the
// plain mask, and how much of that is soft-tissue density (consolidation, effusion — or chest wall / mediastinum)
const SBU = join(root, '..', 'shared', 'data', 'covid19-ny-sbu-dicom');
if (existsSync(join(SBU, 'index.tsv'))) {
  const rows = readFileSync(join(SBU, 'index.tsv'), 'utf8').trim().split('\n').map((l) => l.split('\t'));
  const col = (name: string) => rows[0].indexOf(name);
  const LUNG = ['A002304', 'A046441', 'A048383', 'A056642', 'A072894', 'A098752']; // data README: lungs visible
  const plain = lungmaskConfigSchema.parse({ ...cfg, pleuralBays: { ...cfg.pleuralBays, hullConcavities: false, maxDepthMm: 0 } });
  console.log('\nCOVID-19-NY-SBU axial slices with lungs (HU): plain mask → with pleural bays');
  let na = 0, nb = 0, dense = 0;
  for (const r of rows.slice(1).filter((r) => r[col('plane')] === 'axial' && LUNG.includes(r[col('patient_id')]))) {
    const v = await readVolume(join(SBU, r[col('file')]), { allow2D: true });
    const a = lungMask(v, plain).data, b = lungMask(v, cfg).data;
    let pa = 0, pb = 0, d = 0;
    for (let i = 0; i < a.length; i++) (pa += a[i]), (pb += b[i]), (d += b[i] && !a[i] && v.data[i] >= DENSE_HU ? 1 : 0);
    (na += pa), (nb += pb), (dense += d);
    console.log(`${r[col('file')].split('/').slice(0, 2).join('/').padEnd(32)} ${String(pa).padStart(6)} → ${String(pb).padStart(6)} px (+${((100 * (pb - pa)) / pa).toFixed(1)} %, ≥ ${DENSE_HU} HU: ${d})`);
  }
  console.log(`all: +${((100 * (nb - na)) / na).toFixed(1)} % mask area, ${((100 * dense) / Math.max(1, nb - na)).toFixed(0)} % of the added pixels ≥ ${DENSE_HU} HU`);
}
if (args.includes('--phantom-only')) process.exit(0);
if (!existsSync(SEMI)) {
  console.log(`\nCOVID-SemiSeg: skipped (${SEMI} absent)`);
  process.exit(0);
}
const ingest = ingestConfigSchema.parse({ ...(defaultConfigSection('ingest') as object), window: 'auto', autoWindowScope: 'folder' });
const files = readdirSync(join(SEMI, 'Imgs')).filter((f) => f.endsWith('.jpg')).sort((a, b) => parseInt(a) - parseInt(b)).map((f) => join(SEMI, 'Imgs', f));
const read = sliceCaseReader(files, ingest);
if (overlays) mkdirSync(overlays, { recursive: true });
console.log(`\nCOVID-SemiSeg: ${files.length} pictures, window auto pooled per folder, spacing ${ingest.imageSpacingMm.join('×')} mm assumed`);
console.log('picture  lesionIn%  ggoIn%  consIn%  maskPx  airPx  mask/air  denseNonLesion%      s');
let les = 0, lesIn = 0, tPic = 0, dense = 0, maskPx = 0, airPx = 0, fails = 0;
const byClass = { ggo: [0, 0], cons: [0, 0] };
const perPic: number[] = [];
for (const f of files) {
  const { volume } = await read(f);
  const name = f.split('/').pop()!.replace('.jpg', '');
  const classes = readLabelPng(join(SEMI, 'GT', `${name}.png`)).data; // 1 GGO, 2 consolidation
  const gt = classes.map((v) => (v === 1 || v === 2 ? 1 : 0));
  const t0 = cpuSeconds();
  let m: Uint8Array;
  try {
    m = lungMask(volume, cfg).data;
  } catch (e) {
    fails++;
    m = new Uint8Array(volume.data.length);
    console.log(`${name}: no mask (${(e as Error).message})`);
  }
  const s = cpuSeconds() - t0;
  tPic += s;
  const p = pictureLeakage(m, gt, volume.data, cfg.airThresholdHu);
  les += p.lesion;
  lesIn += p.lesionIn;
  dense += p.denseNonLesion;
  maskPx += p.mask;
  airPx += p.air;
  const cls = [0, 0, 0, 0];
  for (let i = 0; i < gt.length; i++) if (gt[i]) (cls[2 * (classes[i] - 1)]++, (cls[2 * (classes[i] - 1) + 1] += m[i]));
  byClass.ggo[0] += cls[0], byClass.ggo[1] += cls[1], byClass.cons[0] += cls[2], byClass.cons[1] += cls[3];
  if (p.lesion) perPic.push(p.lesionIn / p.lesion);
  console.log(name.padEnd(8), (p.lesion ? pct(p.lesionIn / p.lesion) : '    –').padStart(9), (cls[0] ? pct(cls[1] / cls[0]) : '    –').padStart(7), (cls[2] ? pct(cls[3] / cls[2]) : '    –').padStart(8), String(p.mask).padStart(7), String(p.air).padStart(6), (p.mask / Math.max(1, p.air)).toFixed(2).padStart(9), pct(p.denseNonLesion / Math.max(1, p.mask)).padStart(16), s.toFixed(3).padStart(6));
  if (overlays) writeOverlay(join(overlays, `${name}.png`), volume.data, m, gt, volume.shape[1], volume.shape[2]);
}
perPic.sort((a, b) => a - b);
console.log(`pooled: ${pct(lesIn / les)} % of ${les} expert lesion pixels inside; per picture mean ${pct(perPic.reduce((p, v) => p + v, 0) / perPic.length)} %, median ${pct(perPic[perPic.length >> 1])} %, min ${pct(perPic[0])} %; GGO ${pct(byClass.ggo[1] / byClass.ggo[0])} %, consolidation ${pct(byClass.cons[1] / byClass.cons[0])} %; mask/air ${(maskPx / airPx).toFixed(3)}; dense (≥ −300 HU) non-lesion pixels ${pct(dense / maskPx)} % of the mask; ${fails} pictures without mask; ${(1000 * tPic / files.length).toFixed(0)} CPU ms per picture`);

/** CT in gray, mask outline green, expert lesion red (lesion outside the mask: bright red). */
function writeOverlay(file: string, hu: ArrayLike<number>, mask: Uint8Array, gt: Uint8Array, ny: number, nx: number): void {
  const png = new PNG({ width: nx, height: ny });
  for (let i = 0; i < ny * nx; i++) {
    const g = Math.max(0, Math.min(255, Math.round(((hu[i] + 1100) / 1400) * 255)));
    let r = g, gg = g, b = g;
    const y = (i / nx) | 0, x = i - y * nx;
    const edge = mask[i] && (x === 0 || x === nx - 1 || y === 0 || y === ny - 1 || !mask[i - 1] || !mask[i + 1] || !mask[i - nx] || !mask[i + nx]);
    if (gt[i] && !mask[i]) (r = 255), (gg = 0), (b = 0);
    else if (gt[i]) (r = Math.min(255, g + 90)), (gg = g >> 1), (b = g >> 1);
    if (edge) (r = 0), (gg = 255), (b = 0);
    const o = 4 * i;
    (png.data[o] = r), (png.data[o + 1] = gg), (png.data[o + 2] = b), (png.data[o + 3] = 255);
  }
  writeFileSync(file, PNG.sync.write(png));
}
