/*
 * covseg correction page (browser script, inlined into review/correct.html by correctionPage.ts).
 * Runs from disk (file://) with no server: the pack manifest is inline (window.COVSEG_PACK), each
 * slice's CT (int16 HU) and pseudo-labels (uint8 0–4) come from correct/<key>.js, a classic <script>
 * that calls covsegSlice() (Chromium blocks fetching file:// URLs; script includes work).
 * Saving downloads one zip of label-map PNGs named <slice key>.png, which `covseg import-corrections`
 * reads as it is. fflate (inlined before this script) inflates the data and writes the zip.
 */
(function () {
  'use strict';
  const pack = window.COVSEG_PACK;
  const LUNG = 1;
  const BACKGROUND = 0;
  const $ = (id) => document.getElementById(id);
  const b64 = (s) => Uint8Array.from(atob(s), (c) => c.charCodeAt(0));

  const slices = pack.slices.map((s) => ({ ...s, ct: null, orig: null, label: null, undo: [], redo: [], viewed: false, accepted: false, edited: false, savedAt: null }));
  const byKey = new Map(slices.map((s) => [s.key, s]));
  const state = { i: 0, tool: 'brush', cls: 3, size: pack.brushSize, window: 'lung', opacity: pack.alpha, overlay: true, painting: false, last: null, hover: null };
  const waiting = new Map();

  /** Called by correct/<key>.js: stores the slice's decoded CT and labels. */
  window.covsegSlice = function (key, data) {
    const s = byKey.get(key);
    if (!s) return;
    const ct = fflate.inflateSync(b64(data.image));
    s.ct = new Int16Array(ct.buffer, ct.byteOffset, s.width * s.height);
    s.orig = fflate.inflateSync(b64(data.label));
    s.label = s.orig.slice();
    const cb = waiting.get(key);
    waiting.delete(key);
    if (cb) cb();
  };

  function load(s, cb) {
    if (s.label) return cb();
    waiting.set(s.key, cb);
    const el = document.createElement('script');
    el.src = s.file;
    el.onerror = () => setMessage(`could not load ${s.file} (keep the correct/ folder beside this page)`);
    document.head.appendChild(el);
  }

  // ---------- drawing ----------
  const canvas = $('ct');
  const cursor = $('cursor');
  const ctx = canvas.getContext('2d');
  const cctx = cursor.getContext('2d');

  function render() {
    const s = slices[state.i];
    if (!s.label) return;
    const [lo, hi] = pack.windows[state.window];
    const img = ctx.createImageData(s.width, s.height);
    const a = state.overlay ? state.opacity : 0;
    // lung is drawn fainter so the CT under it stays readable (as in the overlay PNGs)
    const alphas = pack.colours.map((_, v) => (v === BACKGROUND ? 0 : v === LUNG ? a / 3 : a));
    blendLabelOverlay(img.data, s.ct, s.label, lo, hi, pack.colours, alphas); // io's overlay blend, inlined by correctionPage.ts
    ctx.putImageData(img, 0, 0);
    drawCursor();
  }

  /** Pixels (x, y) of a round brush of `size` pixels (diameter) centred on (cx, cy): (x−cx)² + (y−cy)² ≤ ((size−1)/2)². */
  function brushPixels(cx, cy, size, w, h, visit) {
    const r = (size - 1) / 2;
    const ri = Math.floor(r);
    for (let y = cy - ri; y <= cy + ri; y++) {
      if (y < 0 || y >= h) continue;
      for (let x = cx - ri; x <= cx + ri; x++) {
        if (x < 0 || x >= w) continue;
        if ((x - cx) * (x - cx) + (y - cy) * (y - cy) <= r * r) visit(y * w + x);
      }
    }
  }

  function drawCursor() {
    const s = slices[state.i];
    cctx.clearRect(0, 0, cursor.width, cursor.height);
    if (!state.hover || state.tool === 'fill') return;
    const c = pack.colours[state.cls];
    cctx.fillStyle = state.tool === 'eraser' ? 'rgba(255,255,255,0.6)' : `rgba(${c[0]},${c[1]},${c[2]},0.8)`;
    brushPixels(state.hover[0], state.hover[1], state.size, s.width, s.height, (p) => cctx.fillRect(p % s.width, Math.floor(p / s.width), 1, 1));
  }

  // ---------- tools ----------
  /** Brush: the class; eraser: pixels of the class go back to lung (lung itself to background). */
  function stamp(s, x, y) {
    const cls = state.cls;
    if (state.tool === 'brush') brushPixels(x, y, state.size, s.width, s.height, (p) => (s.label[p] = cls));
    else if (state.tool === 'eraser') {
      const to = cls === LUNG ? BACKGROUND : LUNG;
      brushPixels(x, y, state.size, s.width, s.height, (p) => {
        if (s.label[p] === cls) s.label[p] = to;
      });
    }
  }

  /** Flood fill (4-connected) of the region of equal label value around (x, y) with the class. */
  function fill(s, x, y) {
    const w = s.width, h = s.height, lab = s.label;
    const from = lab[y * w + x], to = state.cls;
    if (from === to) return;
    const stack = [y * w + x];
    lab[y * w + x] = to;
    while (stack.length) {
      const p = stack.pop();
      const px = p % w, py = (p - px) / w;
      if (px > 0 && lab[p - 1] === from) (lab[p - 1] = to), stack.push(p - 1);
      if (px < w - 1 && lab[p + 1] === from) (lab[p + 1] = to), stack.push(p + 1);
      if (py > 0 && lab[p - w] === from) (lab[p - w] = to), stack.push(p - w);
      if (py < h - 1 && lab[p + w] === from) (lab[p + w] = to), stack.push(p + w);
    }
  }

  function pixelAt(ev) {
    const s = slices[state.i];
    const r = canvas.getBoundingClientRect();
    const x = Math.floor(((ev.clientX - r.left) / r.width) * s.width);
    const y = Math.floor(((ev.clientY - r.top) / r.height) * s.height);
    return x >= 0 && y >= 0 && x < s.width && y < s.height ? [x, y] : null;
  }

  function pushUndo(s) {
    s.undo.push(s.label.slice());
    if (s.undo.length > pack.undoDepth) s.undo.shift();
    s.redo = [];
  }

  function afterEdit(s) {
    s.edited = !sameLabels(s.label, s.orig);
    s.savedAt = null;
    render();
    renderList();
  }

  const sameLabels = (a, b) => {
    for (let i = 0; i < a.length; i++) if (a[i] !== b[i]) return false;
    return true;
  };

  canvas.addEventListener('pointerdown', (ev) => {
    const s = slices[state.i];
    const at = pixelAt(ev);
    if (!s.label || !at || ev.button !== 0) return;
    pushUndo(s);
    if (state.tool === 'fill') {
      fill(s, at[0], at[1]);
      afterEdit(s);
      return;
    }
    canvas.setPointerCapture(ev.pointerId);
    state.painting = true;
    state.last = at;
    stamp(s, at[0], at[1]);
    render();
  });
  canvas.addEventListener('pointermove', (ev) => {
    const s = slices[state.i];
    const at = pixelAt(ev);
    state.hover = at;
    if (state.painting && at && s.label) {
      // stamps along the segment so a fast stroke leaves no gaps
      const [x0, y0] = state.last;
      const n = Math.max(Math.abs(at[0] - x0), Math.abs(at[1] - y0));
      for (let k = 1; k <= n; k++) stamp(s, Math.round(x0 + ((at[0] - x0) * k) / n), Math.round(y0 + ((at[1] - y0) * k) / n));
      state.last = at;
      render();
    } else drawCursor();
  });
  const endStroke = () => {
    if (!state.painting) return;
    state.painting = false;
    afterEdit(slices[state.i]);
  };
  canvas.addEventListener('pointerup', endStroke);
  canvas.addEventListener('pointercancel', endStroke);
  canvas.addEventListener('pointerleave', () => {
    state.hover = null;
    drawCursor();
  });

  function undo() {
    const s = slices[state.i];
    if (!s.undo.length) return;
    s.redo.push(s.label);
    s.label = s.undo.pop();
    afterEdit(s);
  }
  function redo() {
    const s = slices[state.i];
    if (!s.redo.length) return;
    s.undo.push(s.label);
    s.label = s.redo.pop();
    afterEdit(s);
  }
  function reset() {
    const s = slices[state.i];
    if (!s.label || !s.edited) return;
    pushUndo(s);
    s.label = s.orig.slice();
    afterEdit(s);
  }

  // ---------- slices ----------
  function show(i) {
    state.i = (i + slices.length) % slices.length;
    const s = slices[state.i];
    canvas.width = cursor.width = s.width;
    canvas.height = cursor.height = s.height;
    $('title').textContent = `${state.i + 1} / ${slices.length}: ${s.key}`;
    load(s, () => {
      s.viewed = true;
      render();
      renderList();
    });
    renderList();
  }

  const statusOf = (s) => (s.accepted ? (s.edited ? 'corrected ✓' : 'checked ✓') : s.edited ? 'edited' : s.viewed ? 'viewed' : 'not opened');
  const toSave = () => slices.filter((s) => s.label && (s.edited || s.accepted));

  function renderList() {
    const list = $('list');
    list.textContent = '';
    slices.forEach((s, i) => {
      const li = document.createElement('li');
      li.className = (i === state.i ? 'cur ' : '') + (s.accepted ? 'ok' : s.edited ? 'ed' : s.viewed ? 'vw' : '');
      li.textContent = `${i + 1}. ${s.key} — ${statusOf(s)}${s.savedAt ? ' (saved)' : ''}`;
      li.addEventListener('click', () => show(i));
      list.appendChild(li);
    });
    const n = toSave().length;
    $('save').textContent = `Save ${n} slice${n === 1 ? '' : 's'} (zip)`;
    $('save').disabled = n === 0;
    for (const b of document.querySelectorAll('[data-tool]')) b.classList.toggle('on', b.dataset.tool === state.tool);
    for (const b of document.querySelectorAll('[data-cls]')) b.classList.toggle('on', +b.dataset.cls === state.cls);
    for (const b of document.querySelectorAll('[data-window]')) b.classList.toggle('on', b.dataset.window === state.window);
    $('overlay').checked = state.overlay;
    $('opacity').value = String(state.opacity);
    $('size').value = String(state.size);
    $('sizeOut').textContent = `${state.size} px`;
    const cur = slices[state.i];
    $('accept').textContent = cur.accepted ? 'Unmark checked (A)' : 'Mark checked (A)';
  }

  // ---------- saving ----------
  /** The slice's labels as an RGB PNG in the class colours (what import-corrections reads). */
  function labelPng(s) {
    const c = document.createElement('canvas');
    c.width = s.width;
    c.height = s.height;
    const g = c.getContext('2d');
    const img = g.createImageData(s.width, s.height);
    for (let p = 0; p < s.label.length; p++) {
      const col = pack.labelMapColours[s.label[p]];
      img.data[4 * p] = col[0];
      img.data[4 * p + 1] = col[1];
      img.data[4 * p + 2] = col[2];
      img.data[4 * p + 3] = 255;
    }
    g.putImageData(img, 0, 0);
    return new Promise((resolve) => c.toBlob((b) => b.arrayBuffer().then((a) => resolve(new Uint8Array(a))), 'image/png'));
  }

  function download(name, bytes, type) {
    const a = document.createElement('a');
    a.href = URL.createObjectURL(new Blob([bytes], { type }));
    a.download = name;
    document.body.appendChild(a);
    a.click();
    a.remove();
    setTimeout(() => URL.revokeObjectURL(a.href), 60_000);
  }

  async function saveZip() {
    const chosen = toSave();
    if (!chosen.length) return setMessage('nothing to save: edit a slice or mark it checked (A) first');
    const files = {};
    // PNGs are already deflated: stored entries (level 0) keep the zip quick to write
    for (const s of chosen) files[`${s.key}.png`] = [await labelPng(s), { level: 0 }];
    download(pack.zipName, fflate.zipSync(files), 'application/zip');
    const at = new Date().toLocaleTimeString();
    for (const s of chosen) s.savedAt = at;
    renderList();
    setMessage(`saved ${chosen.length} slice(s) to ${pack.zipName}; import with: covseg import-corrections --shards <store> --from ${pack.zipName}`);
  }

  async function saveSlice() {
    const s = slices[state.i];
    if (!s.label) return;
    download(`${s.key}.png`, await labelPng(s), 'image/png');
    s.savedAt = new Date().toLocaleTimeString();
    renderList();
    setMessage(`saved ${s.key}.png`);
  }

  const setMessage = (m) => ($('msg').textContent = m);

  // ---------- controls ----------
  const setTool = (t) => ((state.tool = t), renderList(), drawCursor());
  const setClass = (c) => ((state.cls = c), renderList(), drawCursor());
  const setSize = (n) => ((state.size = Math.max(1, Math.min(pack.maxBrushSize, n))), renderList(), drawCursor());
  const setWindow = (w) => ((state.window = w), renderList(), render());
  const toggleOverlay = () => ((state.overlay = !state.overlay), renderList(), render());
  function toggleAccepted() {
    const s = slices[state.i];
    if (!s.label) return;
    s.accepted = !s.accepted;
    s.savedAt = null;
    renderList();
  }

  for (const b of document.querySelectorAll('[data-tool]')) b.addEventListener('click', () => setTool(b.dataset.tool));
  for (const b of document.querySelectorAll('[data-cls]')) b.addEventListener('click', () => setClass(+b.dataset.cls));
  for (const b of document.querySelectorAll('[data-window]')) b.addEventListener('click', () => setWindow(b.dataset.window));
  $('overlay').addEventListener('change', toggleOverlay);
  $('opacity').addEventListener('input', () => ((state.opacity = +$('opacity').value), render()));
  $('size').addEventListener('input', () => setSize(+$('size').value));
  $('prev').addEventListener('click', () => show(state.i - 1));
  $('next').addEventListener('click', () => show(state.i + 1));
  $('undo').addEventListener('click', undo);
  $('redo').addEventListener('click', redo);
  $('reset').addEventListener('click', reset);
  $('accept').addEventListener('click', toggleAccepted);
  $('save').addEventListener('click', saveZip);
  $('saveSlice').addEventListener('click', saveSlice);

  const keys = {
    b: () => setTool('brush'), e: () => setTool('eraser'), f: () => setTool('fill'),
    1: () => setClass(1), 2: () => setClass(2), 3: () => setClass(3), 4: () => setClass(4),
    '[': () => setSize(state.size - 1), ']': () => setSize(state.size + 1),
    l: () => setWindow('lung'), m: () => setWindow('mediastinum'), w: () => setWindow(state.window === 'lung' ? 'mediastinum' : 'lung'),
    o: toggleOverlay, a: toggleAccepted, r: reset,
    n: () => show(state.i + 1), p: () => show(state.i - 1), ArrowRight: () => show(state.i + 1), ArrowLeft: () => show(state.i - 1),
    s: saveSlice,
  };
  document.addEventListener('keydown', (ev) => {
    if (ev.target instanceof HTMLInputElement && ev.target.type !== 'checkbox' && ev.target.type !== 'range') return;
    const k = ev.key.length === 1 ? ev.key.toLowerCase() : ev.key;
    if (ev.ctrlKey || ev.metaKey) {
      if (k === 'z' && !ev.shiftKey) undo();
      else if (k === 'y' || (k === 'z' && ev.shiftKey)) redo();
      else if (k === 's') saveZip();
      else return;
      ev.preventDefault();
      return;
    }
    if (keys[k]) {
      keys[k]();
      ev.preventDefault();
    }
  });
  window.addEventListener('beforeunload', (ev) => {
    if (slices.some((s) => (s.edited || s.accepted) && !s.savedAt)) ev.preventDefault();
  });

  // Hooks for the browser test and for scripting; the page itself does not need them.
  window.covsegPage = { state, slices, show, saveZip, ready: (i) => !!slices[i].label };
  show(0);
})();
