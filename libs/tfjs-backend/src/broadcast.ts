/**
 * Broadcast iteration plan for a binary op: the output shape and both inputs' strides (0 along
 * broadcast dims), with adjacent dims merged where neither input changes pattern, so the inner
 * loop is as long as possible.
 */
export interface BroadcastPlan { shape: number[]; sa: number[]; sb: number[] }

/** The plan, or undefined when the shapes do not broadcast. */
export function broadcastPlan(a: readonly number[], b: readonly number[]): BroadcastPlan | undefined {
  const rank = Math.max(a.length, b.length);
  const da = [...Array(rank - a.length).fill(1), ...a], db = [...Array(rank - b.length).fill(1), ...b];
  const shape: number[] = [], fa: boolean[] = [], fb: boolean[] = [];
  for (let i = 0; i < rank; i++) {
    if (da[i] !== db[i] && da[i] !== 1 && db[i] !== 1) return undefined;
    const n = Math.max(da[i], db[i]);
    if (n === 1) continue; // size-1 output dims carry nothing
    const ta = da[i] !== 1, tb = db[i] !== 1;
    const last = shape.length - 1;
    if (last >= 0 && fa[last] === ta && fb[last] === tb) shape[last] *= n;
    else { shape.push(n); fa.push(ta); fb.push(tb); }
  }
  if (shape.length === 0) { shape.push(1); fa.push(true); fb.push(true); }
  const strides = (full: boolean[]) => {
    const s = new Array<number>(shape.length);
    let acc = 1;
    for (let i = shape.length - 1; i >= 0; i--) { s[i] = full[i] ? acc : 0; if (full[i]) acc *= shape[i]; }
    return s;
  };
  return { shape, sa: strides(fa), sb: strides(fb) };
}

export type BinaryOp = 'add' | 'sub' | 'mul' | 'div';

/** One row of a binary op (op chosen outside the element loop so each loop stays monomorphic). */
function row(op: BinaryOp, a: Float32Array, pa: number, ia: number, b: Float32Array, pb: number, ib: number, out: Float32Array, o: number, n: number): void {
  switch (op) {
    case 'add': for (let j = 0; j < n; j++, pa += ia, pb += ib) out[o + j] = a[pa] + b[pb]; break;
    case 'sub': for (let j = 0; j < n; j++, pa += ia, pb += ib) out[o + j] = a[pa] - b[pb]; break;
    case 'mul': for (let j = 0; j < n; j++, pa += ia, pb += ib) out[o + j] = a[pa] * b[pb]; break;
    case 'div': for (let j = 0; j < n; j++, pa += ia, pb += ib) out[o + j] = a[pa] / b[pb]; break;
  }
}

/** Applies a binary op elementwise under a broadcast plan; the inner loop runs over the last merged dim. */
export function broadcastApply(p: BroadcastPlan, op: BinaryOp, a: Float32Array, b: Float32Array, out: Float32Array): void {
  const { shape, sa, sb } = p;
  const rank = shape.length;
  const n = shape[rank - 1], ia = sa[rank - 1], ib = sb[rank - 1];
  const rows = out.length / n;
  const idx = new Array<number>(rank).fill(0);
  let oa = 0, ob = 0;
  for (let r = 0; r < rows; r++) {
    row(op, a, oa, ia, b, ob, ib, out, r * n, n);
    // odometer over the outer dims
    for (let d = rank - 2; d >= 0; d--) {
      idx[d]++;
      oa += sa[d]; ob += sb[d];
      if (idx[d] < shape[d]) break;
      oa -= sa[d] * shape[d]; ob -= sb[d] * shape[d];
      idx[d] = 0;
    }
  }
}
