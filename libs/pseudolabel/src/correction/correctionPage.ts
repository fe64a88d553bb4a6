import { readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';
import { deflateRawSync } from 'node:zlib';
import { blendLabelOverlay, LABEL_COLOURS, LABEL_NAMES } from '@covseg/io';
import type { ReviewConfig } from '../config.js';
import { LABEL_MAP_COLOURS } from '../labelPng.js';

/** One slice offered on the correction page (no pixels: those live in its data script). */
export interface CorrectionSlice {
  key: string;
  width: number;
  height: number;
  /** Data script relative to the page, e.g. correct/<key>.js. */
  file: string;
}

/** Folder (beside correct.html) of the per-slice data scripts. */
export const CORRECTION_DATA_DIR = 'correct';
/** Name of the zip the page downloads. */
export const CORRECTIONS_ZIP = 'corrections.zip';
/** Undo steps kept per slice (each a copy of the label map: 50 × 512² bytes ≈ 13 MB). */
const UNDO_DEPTH = 50;
/** Largest brush diameter the size slider offers, pixels. */
const MAX_BRUSH = 41;

const pageScript = () => readFileSync(new URL('./correctionPage.browser.js', import.meta.url), 'utf8');
/** fflate's browser build (inflate for the data, zip for the download), inlined so the page needs no server. */
const fflateScript = () => readFileSync(join(dirname(createRequire(import.meta.url).resolve('fflate/package.json')), 'umd', 'index.js'), 'utf8');

/** JSON that is safe inside an inline <script> (no "</script>" or "<!--" can close it). */
const scriptJson = (v: unknown) => JSON.stringify(v).replace(/</g, '\\u003c');

/**
 * The data script of one slice: calls covsegSlice(key, {image, label}) with the int16 HU (little
 * endian) and the uint8 labels, each raw-deflated and base64-encoded.
 */
export function correctionSliceScript(key: string, image: Int16Array, label: Uint8Array): string {
  const enc = (a: Uint8Array) => deflateRawSync(a).toString('base64');
  const hu = new Uint8Array(image.buffer, image.byteOffset, image.byteLength);
  return `covsegSlice(${scriptJson(key)},{image:"${enc(hu)}",label:"${enc(label)}"});\n`;
}

/**
 * The correction page: CT with lung / mediastinum windows, pseudo-label overlay, brush / eraser /
 * flood fill per class, undo/redo, slice list; it saves one zip of label-map PNGs. Shows slice keys
 * only (case ids are phantom names or hashes), never a name or ID from a file header.
 */
export function correctionPageHtml(slices: readonly CorrectionSlice[], cfg: ReviewConfig): string {
  const pack = {
    slices,
    windows: { lung: cfg.window, mediastinum: cfg.mediastinumWindow },
    alpha: cfg.alpha,
    brushSize: cfg.brushSize,
    maxBrushSize: MAX_BRUSH,
    undoDepth: UNDO_DEPTH,
    colours: [[0, 0, 0], LABEL_COLOURS[1], LABEL_COLOURS[2], LABEL_COLOURS[3], LABEL_COLOURS[4]],
    labelMapColours: LABEL_MAP_COLOURS,
    zipName: CORRECTIONS_ZIP,
  };
  const swatch = (v: number) => `<i style="background:rgb(${LABEL_COLOURS[v].join(',')})"></i>`;
  const classButtons = [1, 2, 3, 4].map((v) => `<button data-cls="${v}" title="key ${v}">${swatch(v)}${v} ${LABEL_NAMES[v]}</button>`).join('');
  return `<!doctype html>
<html><head><meta charset="utf-8"><title>covseg corrections</title><style>
body{font:14px system-ui,sans-serif;margin:0;display:flex;height:100vh;background:#f4f4f4}
aside{width:300px;overflow:auto;border-right:1px solid #ccc;background:#fff;padding:.5em}
aside ol{padding-left:0;list-style:none;margin:0;font-size:12px}
aside li{padding:2px 4px;cursor:pointer;border-radius:3px}aside li:hover{background:#eef}
aside li.cur{outline:2px solid #36c}aside li.vw{color:#555}aside li.ed{background:#fff3c4}aside li.ok{background:#d8f5d8}
main{flex:1;padding:.5em 1em;overflow:auto}
.bar{margin:.3em 0;display:flex;flex-wrap:wrap;gap:.3em;align-items:center}
.bar .sep{width:1em}
button{font:inherit;padding:2px 8px;border:1px solid #999;border-radius:3px;background:#fff;cursor:pointer}
button.on{background:#36c;color:#fff;border-color:#36c}button:disabled{opacity:.5}
button i{display:inline-block;width:.9em;height:.9em;margin-right:.3em;vertical-align:-1px;border:1px solid #333}
#title{font-weight:600;margin:0 .8em}
#view{position:relative;display:inline-block;line-height:0;background:#000}
#view canvas{image-rendering:pixelated;height:min(calc(100vh - 170px),calc(100vw - 360px));width:auto}
#cursor{position:absolute;left:0;top:0;pointer-events:none}
#ct{cursor:crosshair;touch-action:none}
#msg{min-height:1.2em;color:#135}
kbd{border:1px solid #aaa;border-radius:3px;padding:0 3px;background:#fff;font-size:12px}
</style></head><body>
<aside><h3>Slices (${slices.length})</h3><ol id="list"></ol></aside>
<main>
<div class="bar"><button id="prev">◀ previous (P)</button><span id="title"></span><button id="next">next (N) ▶</button></div>
<div class="bar">tool <button data-tool="brush">brush (B)</button><button data-tool="eraser">eraser (E)</button><button data-tool="fill">fill (F)</button>
<span class="sep"></span>class ${classButtons}
<span class="sep"></span>size <input id="size" type="range" min="1" max="${MAX_BRUSH}" step="1"><span id="sizeOut"></span></div>
<div class="bar">window <button data-window="lung">lung (L)</button><button data-window="mediastinum">mediastinum (M)</button>
<span class="sep"></span><label><input id="overlay" type="checkbox"> labels (O)</label> opacity <input id="opacity" type="range" min="0" max="1" step="0.05">
<span class="sep"></span><button id="undo">undo (Ctrl+Z)</button><button id="redo">redo (Ctrl+Y)</button><button id="reset">reset slice (R)</button>
<span class="sep"></span><button id="accept"></button><button id="saveSlice">save slice PNG (S)</button><button id="save"></button></div>
<div id="view"><canvas id="ct"></canvas><canvas id="cursor"></canvas></div>
<p id="msg"></p>
<details><summary>How to correct</summary><p>Pick a class (<kbd>1</kbd>–<kbd>4</kbd>) and paint with the brush (<kbd>B</kbd>, size <kbd>[</kbd> <kbd>]</kbd>);
the eraser (<kbd>E</kbd>) turns pixels of the chosen class back into lung (lung into background); fill (<kbd>F</kbd>) gives the clicked
connected region of one label the chosen class — e.g. click a vessel-labelled blob with class 3 to make it consolidation.
<kbd>W</kbd> switches the window, <kbd>O</kbd> hides the labels. Mark a slice that needs no change as checked (<kbd>A</kbd>): checked and
edited slices go into the zip (<kbd>Ctrl</kbd>+<kbd>S</kbd>), which <code>covseg import-corrections --shards DIR --from ${CORRECTIONS_ZIP}</code>
reads as it is; imported slices are flagged as corrected and weigh more in training.</p></details>
</main>
<script>${fflateScript()}</script>
<script>window.COVSEG_PACK=${scriptJson(pack)};</script>
<script>${blendLabelOverlay.toString()}</script>
<script>${pageScript()}</script>
</body></html>
`;
}
