#!/usr/bin/env node
// The label-budget study (issue 15): what k hand-corrected pseudo-label slices buy.
//
//   node tools/label-budget.mjs phantom [--k 0,10,25,50]   configs/label-budget-phantom.json → runs/label-budget/phantom
//   node tools/label-budget.mjs semiseg [--folds 0,1,2,3,4] [--k0 yes|no] [--all yes|no]   configs/real-slices-corrected.json → runs/label-budget/semiseg
//   node tools/label-budget.mjs early                       Unet-A of each phantom run that has one, scored on the held-out cases
//                                                           now (DIR/early/), without waiting for Unet-B
//   node tools/label-budget.mjs posthoc [--arms k0,fold0,…]  each finished COVID-SemiSeg arm's exported Unet-A/Unet-B run again on
//                                                           the 50 pictures by `covseg predict`, with the lung-mask rule
//                                                           (control: equals the pipeline's scores) and without it
//                                                           (predict.postprocess.maskOutsideLung=false), scored by `covseg evaluate`
//   node tools/label-budget.mjs report                      tables (Markdown), index.html and the Dice-vs-k plots from what has finished
//   --set KEY=VALUE (repeatable) overrides the config in every run; --folds '' runs no fold (e.g. --all yes alone)
//
// Phantom: the corrections of run k are the exact truth of the first k slices of one seeded permutation of
// Unet-A's pseudo-label store (the training cases' slices; the sets are nested), scored on the held-out cases.
// COVID-SemiSeg: the 50 expert-labelled pictures in 5 folds of 10 (seeded); a fold's run takes the 40 other
// pictures' expert masks as corrections and is scored on its 10. A correction is what a reader would make of
// the pseudo-label (correctionFromReference): the expert's GGO and consolidation are painted in, pseudo-label
// lesion the expert did not mark becomes lung; lung, vessels and background elsewhere stay as they were.
//
// Every run of one study shares the stages before import-corrections (phantom … review): they run once in
// BASE, each run starts from a hard-linked copy of it, and their stage records are stamped with the run's
// config hash and paths (those stages do not read pipeline.corrections, the only key that differs), so they
// are reused.
import { existsSync, mkdirSync, readFileSync, readdirSync, rmSync, writeFileSync } from 'node:fs';
import { execFileSync } from 'node:child_process';
import { join, resolve } from 'node:path';
import { register } from 'tsx/esm/api';

register();
const root = new URL('..', import.meta.url).pathname;
const io = await import('../libs/io/src/index.ts');
const { labelMapPng, correctionFromReference } = await import('../libs/pseudolabel/src/index.ts');
const { mapReference, readLabelPng, resolveMap } = await import('../libs/evaluate/src/index.ts');
const { loadConfig, runPipeline, recordPath, escapeHtml, htmlTable } = await import('../libs/pipeline/src/index.ts');
const { digestPath } = io;

const [mode = 'report', ...rest] = process.argv.slice(2);
const opt = (name, dflt) => {
  const i = rest.indexOf(`--${name}`);
  return i >= 0 ? rest[i + 1] : dflt;
};
const outRoot = resolve(opt('out', join(root, 'runs', 'label-budget')));
// --set key=value (repeatable) overrides the config in every run of the study, e.g. pipeline.threads=1 when two
// studies share the cores
const extraSets = rest.flatMap((a, i) => (a === '--set' ? [rest[i + 1]] : []));
const SHARED_STAGES = ['phantom', 'ingest', 'lungmask', 'cluster', 'pseudolabel', 'review'];
const CLASSES = ['ggo', 'consolidation', 'lesion', 'vessels', 'lung'];
const MODELS = ['pseudolabel', 'unet-a', 'unet-b'];
const log = (m) => process.stderr.write(`[label-budget] ${m}\n`);

/** A seeded permutation of 0..n-1 (the project's own generator). */
function permutation(n, seed) {
  const rng = io.createRng(seed);
  const p = Array.from({ length: n }, (_, i) => i);
  for (let i = n - 1; i > 0; i--) {
    const j = Math.floor(rng.next() * (i + 1));
    [p[i], p[j]] = [p[j], p[i]];
  }
  return p;
}

/** Runs the shared stages once into BASE (resumable). */
async function base(config, dir) {
  await runPipeline({ configFile: config, sets: extraSets, runDir: dir, until: 'review', quiet: true, log });
}

/** Copies BASE to DIR (hard links) unless DIR exists, and stamps the shared stages with the run's config hash. */
function startFrom(baseDir, dir, config, sets) {
  if (!existsSync(dir)) execFileSync('cp', ['-al', baseDir, dir]);
  const { hash } = loadConfig({ file: config, sets });
  for (const s of SHARED_STAGES) {
    const p = recordPath(dir, s);
    if (!existsSync(p)) continue;
    const rec = JSON.parse(readFileSync(p, 'utf8'));
    // inputs are recorded by absolute path: BASE's paths become the copy's, digested again in stage order
    // (a stage folder's digest covers the earlier stage's done.json, which this loop has just rewritten)
    const inputs = Object.fromEntries(Object.keys(rec.inputs).map((k) => (k.startsWith(baseDir + '/') ? dir + k.slice(baseDir.length) : k)).map((k) => [k, digestPath(k)]));
    if (rec.configHash === hash && JSON.stringify(inputs) === JSON.stringify(rec.inputs)) continue;
    Object.assign(rec, { configHash: hash, inputs });
    rmSync(p); // a hard link shared with BASE: write a new file, never into BASE's
    writeFileSync(p, JSON.stringify(rec, null, 2) + '\n');
  }
}

/** Runs one study arm: BASE copy + corrections (null for k = 0) → the rest of the pipeline. */
async function arm(baseDir, dir, config, writeCorrections) {
  if (existsSync(join(dir, 'evaluate', 'done.json'))) return log(`${dir}: done earlier`);
  // arms may run in parallel processes (--k 25 beside --k 50): one process per arm
  const lock = `${dir}.lock`;
  if (existsSync(lock)) {
    const pid = Number(readFileSync(lock, 'utf8'));
    try {
      process.kill(pid, 0);
      return log(`${dir}: running in process ${pid}`);
    } catch {
      rmSync(lock);
    }
  }
  writeFileSync(lock, String(process.pid), { flag: 'wx' });
  try {
    await runArm(baseDir, dir, config, writeCorrections);
  } finally {
    rmSync(lock, { force: true });
  }
}

async function runArm(baseDir, dir, config, writeCorrections) {
  const sets = [...extraSets, `pipeline.corrections=${writeCorrections ? JSON.stringify(join(dir, 'corrections')) : 'null'}`];
  startFrom(baseDir, dir, config, sets);
  if (writeCorrections) {
    rmSync(join(dir, 'corrections'), { recursive: true, force: true });
    mkdirSync(join(dir, 'corrections'));
    await writeCorrections(join(dir, 'corrections'));
  }
  const t0 = Date.now();
  await runPipeline({ configFile: config, sets, runDir: dir, quiet: true, log });
  log(`${dir}: ${((Date.now() - t0) / 1000).toFixed(0)} s`);
}

/** The slice's label plane z of a label volume. */
const plane = (vol, z) => vol.data.subarray(z * vol.shape[1] * vol.shape[2], (z + 1) * vol.shape[1] * vol.shape[2]);

async function phantom() {
  const config = resolve(opt('config', join(root, 'configs', 'label-budget-phantom.json')));
  const ks = opt('k', '0,10,25,50').split(',').filter(Boolean).map(Number);
  const dir = join(outRoot, 'phantom');
  const baseDir = join(dir, 'base');
  await base(config, baseDir);
  const shards = join(baseDir, 'pseudolabel', 'shards');
  const slices = io.readShardIndex(shards).slices;
  const order = permutation(slices.length, 'label-budget:phantom');
  const truthOf = new Map(io.readCohort(join(baseDir, 'ingest', 'cohort.jsonl')).map((c) => [c.id, c.label]));
  for (const k of ks) {
    const chosen = order.slice(0, k).map((i) => slices[i]);
    await arm(baseDir, join(dir, `k${k}`), config, k === 0 ? null : (to) => writeTruthCorrections(chosen, truthOf, to));
  }
}

/** Corrections from the phantom truth: each chosen slice's exact label plane, as a label-map PNG. */
async function writeTruthCorrections(chosen, truthOf, to) {
  for (const e of chosen) {
    const vol = await io.readLabelVolume(truthOf.get(e.caseId));
    writeFileSync(join(to, `${e.key}.png`), labelMapPng(plane(vol, e.sliceIndex), e.width, e.height));
  }
}

/**
 * An expert mask as covseg label values: read as evaluate reads it (readLabelPng: palette PNGs give their indices, not
 * colours), mapped with the configured value map; a value the map does not name is an error, not background.
 */
function readExpertMask(file, width, height, map) {
  const v = readLabelPng(file);
  if (v.width !== width || v.height !== height) throw new Error(`${file}: ${v.width}×${v.height}, slice is ${width}×${height}`);
  const unnamed = v.data.find((x) => x !== 0 && map[String(x)] === undefined);
  if (unnamed !== undefined) throw new Error(`${file}: value ${unnamed} is not in the reference map (${Object.keys(map).join(', ')})`);
  return mapReference(v.data, map);
}

/** The expert masks' folder and value map of the COVID-SemiSeg config (pipeline.reference). */
const semisegReference = () => {
  const cfg = loadConfig({ file: join(root, 'configs', 'real-slices-corrected.json') }).config;
  return { dir: resolve(root, cfg.pipeline.reference.labels), map: resolveMap(cfg.pipeline.reference.map, cfg.evaluate) };
};

/** The 5 folds of the 50 expert pictures (stems), seeded. */
function folds(stems, n) {
  const p = permutation(stems.length, 'label-budget:semiseg');
  return Array.from({ length: n }, (_, f) => p.filter((_, j) => j % n === f).map((i) => stems[i]).sort());
}

async function semiseg() {
  const config = resolve(opt('config', join(root, 'configs', 'real-slices-corrected.json')));
  const wanted = opt('folds', '0,1,2,3,4').split(',').filter(Boolean).map(Number);
  const dir = join(outRoot, 'semiseg');
  const baseDir = join(dir, 'base');
  const { dir: gtDir, map: gtMap } = semisegReference();
  const stems = readdirSync(gtDir).filter((f) => f.endsWith('.png')).map((f) => f.replace(/\.png$/, '')).sort();
  const split = folds(stems, 5);
  mkdirSync(dir, { recursive: true });
  writeFileSync(join(dir, 'folds.json'), JSON.stringify(split) + '\n');
  await base(config, baseDir);
  const shards = join(baseDir, 'pseudolabel', 'shards');
  const byCase = new Map(io.readShardIndex(shards).slices.map((e) => [e.caseId, e]));
  const corrections = (pictures) => (to) => {
    for (const stem of pictures) {
      const e = byCase.get(stem);
      if (!e) {
        log(`picture ${stem} has no pseudo-label slice (no lung found): no correction`);
        continue;
      }
      const s = io.readSlice(shards, e);
      writeFileSync(join(to, `${e.key}.png`), labelMapPng(correctionFromReference(s.label, readExpertMask(join(gtDir, `${stem}.png`), e.width, e.height, gtMap)), e.width, e.height));
    }
  };
  // the folds, k = 0 (no correction) and all 50 (configs/real-slices-corrected.json as it is) share BASE
  for (const f of wanted) await arm(baseDir, join(dir, `fold${f}`), config, corrections(stems.filter((s) => !split[f].includes(s))));
  if (opt('k0', 'yes') === 'yes') await arm(baseDir, join(dir, 'k0'), config, null);
  if (opt('all', 'yes') === 'yes') await arm(baseDir, join(dir, 'all50'), config, corrections(stems));
}

/** Prediction variants of `posthoc`: the pipeline's lung-mask rule (a control) and none. */
const POSTHOC = { 'lung-mask': 'true', 'no-lung-mask': 'false' };

/** Re-predicts and scores each finished COVID-SemiSeg arm's models with and without the lung-mask rule (ARM/posthoc/). */
function posthoc() {
  const configFile = resolve(opt('config', join(root, 'configs', 'real-slices-corrected.json')));
  const cfg = loadConfig({ file: configFile }).config;
  const pictures = resolve(root, cfg.pipeline.inputs.find((p) => existsSync(join(root, p)) && readdirSync(resolve(root, p)).some((f) => /\.(png|jpe?g)$/i.test(f))));
  const sdir = join(outRoot, 'semiseg');
  const arms = opt('arms', null)?.split(',') ?? readdirSync(sdir).filter((d) => /^(k0|fold\d|all50)$/.test(d));
  const covseg = join(root, 'apps', 'trainer', 'bin', 'covseg.mjs');
  for (const a of arms) {
    for (const m of ['unet-a', 'unet-b']) {
      const model = join(sdir, a, 'export', `${m}.onnx`);
      if (!existsSync(join(sdir, a, 'evaluate', 'done.json')) || !existsSync(model)) continue;
      for (const [variant, mask] of Object.entries(POSTHOC)) {
        const out = join(sdir, a, 'posthoc', `${m}-${variant}`);
        if (existsSync(`${out}.json`)) continue;
        execFileSync(process.execPath, [covseg, 'predict', pictures, '--model', model, '--out', out, '--config', configFile, '--set', `predict.postprocess.maskOutsideLung=${mask}`, '--quiet'], { stdio: ['ignore', 'ignore', 'inherit'] });
        const json = execFileSync(process.execPath, [covseg, 'evaluate', '--pred', out, '--truth', resolve(root, cfg.pipeline.reference.labels), '--map', cfg.pipeline.reference.map, '--json', '--config', configFile], { maxBuffer: 1 << 28 });
        writeFileSync(`${out}.json`, json);
        log(`${a} ${m} ${variant}: scored`);
      }
    }
  }
}

/** Scores the trained Unet-A (tfjs folder) and the pseudo-labels of each phantom arm on its held-out cases: DIR/early/summary.json. */
async function early() {
  const { openSegmenter, predictCase } = await import('../libs/inference/src/index.ts');
  const { evaluateLabels, writeSummary } = await import('../libs/evaluate/src/index.ts');
  const { lungMask } = await import('../libs/features/src/index.ts');
  const { copyFileSync } = await import('node:fs');
  const config = loadConfig({ file: join(root, 'configs', 'label-budget-phantom.json') }).config;
  const pdir = join(outRoot, 'phantom');
  const only = opt('k', null)?.split(',').map((k) => `k${k}`);
  for (const d of readdirSync(pdir).filter((d) => /^k\d+$/.test(d) && (!only || only.includes(d)))) {
    const run = join(pdir, d);
    // --partial yes: a Unet-A still training is scored as it is now (its best epoch so far), and says so
    const partial = opt('partial', 'no') === 'yes' && !existsSync(join(run, 'unet-a', 'done.json'));
    if ((!partial && !existsSync(join(run, 'unet-a', 'done.json'))) || !existsSync(join(run, 'unet-a', 'unet.json'))) continue;
    rmSync(join(run, 'early'), { recursive: true, force: true });
    const split = JSON.parse(readFileSync(join(run, 'ingest', 'split.json'), 'utf8'));
    const cases = io.readCohort(join(run, 'ingest', 'cohort.jsonl')).filter((c) => split.heldOut.includes(c.id));
    const truth = join(run, 'early', 'truth');
    mkdirSync(truth, { recursive: true });
    for (const c of cases) copyFileSync(c.label, join(truth, `${c.id}.nii.gz`));
    const { segmenter, provenance } = await openSegmenter(join(run, 'unet-a'), 'auto', log);
    const out = join(run, 'early', 'unet-a');
    for (const c of cases) {
      await predictCase(c.id, c.image, join(out, c.id), { segmenter, model: provenance, cfg: config.predict, lungMask: (v) => lungMask(v, config.lungmask).data, read: { allow2D: true }, quiet: true });
    }
    const file = join(run, 'early', 'summary.json');
    writeSummary(file, 'pseudolabel', await evaluateLabels(join(run, 'pseudolabel', 'labels'), truth, config.evaluate));
    writeSummary(file, 'unet-a', await evaluateLabels(out, truth, config.evaluate));
    const epochs = readFileSync(join(run, 'unet-a', 'metrics.jsonl'), 'utf8').trim().split('\n').length;
    const best = JSON.parse(readFileSync(join(run, 'unet-a', 'unet.json'), 'utf8')).epoch;
    writeFileSync(join(run, 'early', 'unet-a.json'), JSON.stringify({ epochsTrained: epochs, epochsPlanned: config.train.epochs, bestEpoch: best, complete: !partial }) + '\n');
    log(`${run}: Unet-A (best epoch ${best} of ${epochs} trained, ${config.train.epochs} planned) scored on ${cases.length} held-out case(s)`);
  }
}

// ---------- report ----------
/** Per-case scores of a model in a run: the pipeline's, or (`model` = unet-b/no-lung-mask …) a posthoc variant's. */
const perCase = (runDir, model) => {
  const [m, variant] = model.split('/');
  const p = variant ? join(runDir, 'posthoc', `${m}-${variant}.json`) : join(runDir, 'evaluate', `${m}-per-case.json`);
  if (!existsSync(p)) return null;
  const json = JSON.parse(readFileSync(p, 'utf8'));
  return variant ? json.cases : json; // a posthoc file is `covseg evaluate --json`: per-case scores under .cases
};
/** The run's evaluate/summary.json, else the early Unet-A scores (early/summary.json). */
const summary = (runDir) => {
  for (const p of [join(runDir, 'evaluate', 'summary.json'), join(runDir, 'early', 'summary.json')]) if (existsSync(p)) return JSON.parse(readFileSync(p, 'utf8'));
  return null;
};
const f3 = (v) => (v === null || v === undefined || Number.isNaN(v) ? '–' : v.toFixed(3));
const mean = (a) => a.reduce((s, v) => s + v, 0) / a.length;
const sd = (a) => Math.sqrt(a.reduce((s, v) => s + (v - mean(a)) ** 2, 0) / (a.length - 1));

/** Mean Dice of `cls` over the listed cases of a per-case table (a case without the class on either side is left out). */
function foldDice(cases, ids, cls) {
  const idOf = (c) => String(c.case).replace(/\.(png|jpe?g|nii(\.gz)?)$/i, '');
  const v = cases.filter((c) => ids.includes(idOf(c))).map((c) => c.classes?.[cls]?.dice).filter((d) => d !== null && d !== undefined);
  return v.length ? mean(v) : null;
}

function report() {
  const lines = [];
  const pdir = join(outRoot, 'phantom');
  const phantomRows = [];
  if (existsSync(pdir)) {
    lines.push('### Phantom (held-out cases: Dice per case then mean; pooled over all their voxels in brackets)', '', `| k | model | cases | ${CLASSES.join(' | ')} |`, `|---|---|---|${CLASSES.map(() => '---').join('|')}|`);
    for (const d of readdirSync(pdir).filter((d) => /^k\d+$/.test(d)).sort((a, b) => +a.slice(1) - +b.slice(1))) {
      const s = summary(join(pdir, d));
      if (!s) continue;
      const ea = join(pdir, d, 'early', 'unet-a.json');
      const note = !existsSync(join(pdir, d, 'evaluate', 'summary.json')) && existsSync(ea) ? JSON.parse(readFileSync(ea, 'utf8')) : null;
      const tag = (m) => (m === 'unet-a' && note && !note.complete ? ` (epoch ${note.bestEpoch}, ${note.epochsTrained} of ${note.epochsPlanned} trained)` : '');
      const cell = (m, c) => f3(s[m].dice?.[c]) + (s[m].dice_pooled ? ` (${f3(s[m].dice_pooled[c])})` : '');
      for (const m of MODELS) if (s[m]) lines.push(`| ${d.slice(1)} | ${m}${tag(m)} | ${s[m].cases ?? '–'} | ${CLASSES.map((c) => cell(m, c)).join(' | ')} |`);
      phantomRows.push({ k: +d.slice(1), s });
    }
    lines.push('');
  }
  const sdir = join(outRoot, 'semiseg');
  const semisegRows = [];
  if (existsSync(join(sdir, 'folds.json'))) {
    const split = JSON.parse(readFileSync(join(sdir, 'folds.json'), 'utf8'));
    lines.push('### COVID-SemiSeg, 5 folds: 40 expert masks as corrections, scored on the other 10 (mean ± sd over folds)', '', 'Per picture, then mean over the fold\'s pictures, then mean ± sd over folds. Rows m/lung-mask and m/no-lung-mask: the exported model run again by `covseg predict` with and without the lung-mask rule (posthoc mode; the first is a control).', '', '| k | model | folds | GGO | consolidation | infection |', '|---|---|---|---|---|---|');
    const variants = Object.keys(POSTHOC).flatMap((v) => ['unet-a', 'unet-b'].map((m) => `${m}/${v}`));
    for (const [k, runOf] of [[0, () => 'k0'], [40, (f) => `fold${f}`]]) {
      for (const m of [...MODELS, ...variants]) {
        const per = { ggo: [], consolidation: [], lesion: [] };
        split.forEach((ids, f) => {
          const cases = perCase(join(sdir, runOf(f)), m);
          if (!cases) return;
          for (const c of Object.keys(per)) {
            const v = foldDice(cases, ids, c);
            if (v !== null) per[c].push(v);
          }
        });
        const n = per.lesion.length;
        if (!n) continue;
        const cell = (a) => (a.length > 1 ? `${f3(mean(a))} ± ${f3(sd(a))}` : f3(a[0]));
        lines.push(`| ${k} | ${m} | ${n} | ${cell(per.ggo)} | ${cell(per.consolidation)} | ${cell(per.lesion)} |`);
        if (!m.includes('/')) semisegRows.push({ k, m, ggo: mean(per.ggo), consolidation: per.consolidation.length ? mean(per.consolidation) : null, lesion: mean(per.lesion) });
      }
    }
    const all = summary(join(sdir, 'all50'));
    if (all) {
      lines.push('', '#### configs/real-slices-corrected.json: all 50 expert masks as corrections, scored on the same 50 (optimistic: the models saw these masks)', '', '| model | GGO | consolidation | infection |', '|---|---|---|---|');
      for (const m of MODELS) if (all[m]) lines.push(`| ${m} | ${f3(all[m].dice?.ggo)} | ${f3(all[m].dice?.consolidation)} | ${f3(all[m].dice?.lesion)} |`);
    }
  }
  const md = lines.join('\n') + '\n';
  mkdirSync(outRoot, { recursive: true });
  writeFileSync(join(outRoot, 'tables.md'), md);
  const svgs = [];
  if (phantomRows.length) svgs.push(['dice-vs-k.svg', diceVsKSvg(phantomRows, 'k corrected slices (phantom)', 'Dice (held-out cases)')]);
  if (semisegRows.length) {
    // fold means per k: the same row shape as the phantom's (model → dice → class)
    const byK = new Map();
    for (const r of semisegRows) {
      if (!byK.has(r.k)) byK.set(r.k, { k: r.k, s: {} });
      byK.get(r.k).s[r.m] = { dice: { ggo: r.ggo, consolidation: r.consolidation, lesion: r.lesion } };
    }
    svgs.push(['dice-vs-k-semiseg.svg', diceVsKSvg([...byK.values()], 'k expert-corrected pictures (COVID-SemiSeg)', 'Dice (held-out fold, mean of 5)')]);
  }
  for (const [name, svg] of svgs) writeFileSync(join(outRoot, name), svg);
  writeFileSync(join(outRoot, 'index.html'), reportHtml(md, svgs));
  process.stdout.write(md);
}

/** Line chart: Dice (GGO, consolidation, lesion) of the pseudo-labels, Unet-A and Unet-B vs k, on the given axis labels. */
function diceVsKSvg(rows, xLabel, yLabel) {
  const W = 560, H = 320, L = 50, R = 170, T = 20, B = 40;
  const ks = rows.map((r) => r.k);
  const kmax = Math.max(...ks, 1);
  const x = (k) => L + ((W - L - R) * k) / kmax;
  const y = (d) => T + (H - T - B) * (1 - d);
  const series = [];
  const colours = { ggo: '#d4a800', consolidation: '#e6194b', lesion: '#333' };
  for (const m of ['unet-a', 'unet-b', 'pseudolabel'])
    for (const c of ['ggo', 'consolidation', 'lesion']) {
      const pts = rows.filter((r) => r.s[m]?.dice?.[c] !== undefined && r.s[m].dice[c] !== null).map((r) => [r.k, r.s[m].dice[c]]);
      if (pts.length) series.push({ name: `${m} ${c}`, colour: colours[c], dash: m === 'unet-a' ? '' : m === 'unet-b' ? '6 3' : '2 3', pts });
    }
  const grid = [0, 0.2, 0.4, 0.6, 0.8, 1].map((d) => `<line x1="${L}" x2="${W - R}" y1="${y(d)}" y2="${y(d)}" stroke="#ddd"/><text x="${L - 6}" y="${y(d) + 4}" text-anchor="end">${d.toFixed(1)}</text>`).join('');
  const xt = ks.map((k) => `<text x="${x(k)}" y="${H - B + 16}" text-anchor="middle">${k}</text>`).join('');
  const lines = series.map((s, i) => `<polyline fill="none" stroke="${s.colour}" stroke-width="2" stroke-dasharray="${s.dash}" points="${s.pts.map(([k, d]) => `${x(k).toFixed(1)},${y(d).toFixed(1)}`).join(' ')}"/>` + `<line x1="${W - R + 10}" x2="${W - R + 34}" y1="${T + 14 * i}" y2="${T + 14 * i}" stroke="${s.colour}" stroke-width="2" stroke-dasharray="${s.dash}"/><text x="${W - R + 38}" y="${T + 14 * i + 4}">${s.name}</text>`).join('');
  return `<svg xmlns="http://www.w3.org/2000/svg" width="${W}" height="${H}" font-family="sans-serif" font-size="11"><rect width="${W}" height="${H}" fill="#fff"/>${grid}${xt}<text x="${(L + W - R) / 2}" y="${H - 6}" text-anchor="middle">${xLabel}</text><text transform="translate(12 ${(T + H - B) / 2}) rotate(-90)" text-anchor="middle">${yLabel}</text>${lines}</svg>\n`;
}

/** The study's page: its Markdown tables as HTML tables, then the plots. */
function reportHtml(md, svgs) {
  const cells = (l) => l.trim().replace(/^\||\|$/g, '').split('|').map((c) => c.trim());
  const out = [];
  const lines = md.split('\n');
  for (let i = 0; i < lines.length; i++) {
    const l = lines[i];
    if (l.startsWith('|') && lines[i + 1]?.startsWith('|---')) {
      const rows = [];
      for (i += 2; i < lines.length && lines[i].startsWith('|'); i++) rows.push(cells(lines[i]));
      out.push(htmlTable(cells(l), rows)); // the run report's table
      i--;
    } else if (l.startsWith('#')) out.push(`<h3>${escapeHtml(l.replace(/^#+\s*/, ''))}</h3>`);
    else if (l.trim()) out.push(`<p>${escapeHtml(l)}</p>`);
  }
  return `<!doctype html><meta charset="utf-8"><title>covseg label-budget study</title><style>body{font-family:sans-serif;max-width:980px;margin:2em auto}table{border-collapse:collapse;margin:1em 0}td,th{border:1px solid #ccc;padding:3px 8px;text-align:right}td:nth-child(-n+2),th{text-align:left}</style><h2>Label-budget study (issue 15)</h2>${out.join('\n')}${svgs.map(([, svg]) => `<figure>${svg}</figure>`).join('\n')}\n`;
}

if (mode === 'phantom') await phantom();
else if (mode === 'semiseg') await semiseg();
else if (mode === 'early') await early();
else if (mode === 'posthoc') posthoc();
report();
