/**
 * The one home of covseg's seeded random numbers. Two generators share one interface (and one
 * convention: `int(lo, hi)` includes both ends): sfc32 seeded from a number or string (`createRng`:
 * phantoms, K-means, sampling, fuzzing) and xoshiro128** with counter-based streams (`rngFor`: U-Net
 * training, where a resumed run must replay every draw from (seed, epoch, step) alone).
 */

/** The four 32-bit words of a generator's state (for checkpoints). */
export type RngState = [number, number, number, number];

/** A seeded pseudo-random generator, deterministic across platforms, state serialisable. */
export interface Rng {
  /** Uniform unsigned 32-bit integer. */
  uint32(): number;
  /** Uniform in [0, 1). */
  next(): number;
  /** Uniform in [lo, hi). */
  uniform(lo: number, hi: number): number;
  /** Integer in [lo, hi], both ends included. */
  int(lo: number, hi: number): number;
  /** True with probability p (always one draw, so streams stay aligned). */
  chance(p: number): boolean;
  /** Standard normal (Box–Muller, two draws per value). */
  normal(): number;
  /** In-place Fisher–Yates shuffle; returns `a`. */
  shuffle<T>(a: T[]): T[];
  /** Current state (copy). */
  state(): RngState;
}

const TWO_POW_32 = 4294967296;

/** The Rng methods over a generator of uniform 32-bit words. */
function rngOver(uint32: () => number, state: () => RngState): Rng {
  const next = () => uint32() / TWO_POW_32;
  const int = (lo: number, hi: number) => lo + Math.floor(next() * (hi - lo + 1));
  return {
    uint32,
    next,
    uniform: (lo, hi) => lo + (hi - lo) * next(),
    int,
    chance: (p) => next() < p,
    normal: () => {
      const u = 1 - next(); // (0, 1]
      const v = next();
      return Math.sqrt(-2 * Math.log(u)) * Math.cos(2 * Math.PI * v);
    },
    shuffle: (a) => {
      for (let i = a.length - 1; i > 0; i--) {
        const j = int(0, i);
        [a[i], a[j]] = [a[j], a[i]];
      }
      return a;
    },
    state,
  };
}

/** An sfc32 generator from a seed (integer or string, hashed) or a saved state. */
export function createRng(seed: number | string | RngState): Rng {
  let [a, b, c, d] = Array.isArray(seed) ? seed : seedWords(seed);
  const uint32 = () => {
    a >>>= 0; b >>>= 0; c >>>= 0; d >>>= 0;
    const t = (((a + b) | 0) + d) | 0;
    d = (d + 1) | 0;
    a = b ^ (b >>> 9);
    b = (c + (c << 3)) | 0;
    c = (c << 21) | (c >>> 11);
    c = (c + t) | 0;
    return t >>> 0;
  };
  if (!Array.isArray(seed)) for (let i = 0; i < 12; i++) uint32();
  return rngOver(uint32, () => [a >>> 0, b >>> 0, c >>> 0, d >>> 0]);
}

function seedWords(seed: number | string): RngState {
  const s = String(seed);
  let h = 1779033703 ^ s.length;
  const out: number[] = [];
  for (let i = 0; i < s.length; i++) {
    h = Math.imul(h ^ s.charCodeAt(i), 3432918353);
    h = (h << 13) | (h >>> 19);
  }
  for (let k = 0; k < 4; k++) {
    h = Math.imul(h ^ (h >>> 16), 2246822507);
    h = Math.imul(h ^ (h >>> 13), 3266489909);
    out.push((h ^= h >>> 16) >>> 0);
  }
  return out as RngState;
}

/** A xoshiro128** generator from a state (the all-zero state, a fixed point, becomes [1, 0, 0, 0]). */
export function xoshiroRng(state: RngState): Rng {
  const s = Uint32Array.from(state);
  if (s.every((v) => v === 0)) s[0] = 1;
  const uint32 = () => {
    const result = Math.imul(rotl(Math.imul(s[1], 5), 7), 9) >>> 0;
    const t = s[1] << 9;
    s[2] ^= s[0];
    s[3] ^= s[1];
    s[1] ^= s[2];
    s[0] ^= s[3];
    s[2] ^= t;
    s[3] = rotl(s[3], 11);
    return result;
  };
  return rngOver(uint32, () => [s[0], s[1], s[2], s[3]]);
}

function rotl(x: number, k: number): number {
  return ((x << k) | (x >>> (32 - k))) >>> 0;
}

/** SplitMix32-style avalanche of a 32-bit value. */
function mix32(x: number): number {
  x = Math.imul(x ^ (x >>> 16), 0x85ebca6b);
  x = Math.imul(x ^ (x >>> 13), 0xc2b2ae35);
  return (x ^ (x >>> 16)) >>> 0;
}

/** An independent xoshiro128** stream for a position: a seed, then any integer keys (epoch, step, sample, …). */
export function rngFor(seed: number, ...keys: number[]): Rng {
  let h = mix32(seed ^ 0x9e3779b9);
  for (const k of keys) h = mix32(h ^ mix32((k >>> 0) + 0x7f4a7c15));
  return xoshiroRng([mix32(h + 1), mix32(h + 2), mix32(h + 3), mix32(h + 4)]);
}
