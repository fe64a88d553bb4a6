import { describe, expect, it } from 'vitest';
import { fillBeyondHull, fillCostalConcavities, fillPleuralBays, type LungSlice } from '../src/index.js';

const [ny, nx] = [120, 160];

/** Two elliptical lungs (left at x 45, right at x 115; semi-axes 25 × 45 px) in a body ellipse filling the slice. */
function twoLungs() {
  const inLung = (k: number, x: number, y: number) => ((x - (k ? 115 : 45)) / 25) ** 2 + ((y - 60) / 45) ** 2 <= 1;
  const lungs = [0, 1].map((k) => {
    const m = new Uint8Array(ny * nx);
    for (let y = 0; y < ny; y++) for (let x = 0; x < nx; x++) if (inLung(k, x, y)) m[y * nx + x] = 1;
    return m;
  });
  const body = new Uint8Array(ny * nx);
  for (let y = 0; y < ny; y++) for (let x = 0; x < nx; x++) if (((x - 80) / 79) ** 2 + ((y - 60) / 59) ** 2 <= 1) body[y * nx + x] = 1;
  return { lungs, body, truth: lungs.map((m) => m.slice()), inLung };
}

const slice = (lungs: Uint8Array[], body: Uint8Array): LungSlice => ({ lungs, ny, nx, sy: 1, sx: 1, offset: 0, body });

/** Removes from `m` the pixels where `cut(x, y)` holds; returns how many. */
function carve(m: Uint8Array, cut: (x: number, y: number) => boolean): number {
  let n = 0;
  for (let y = 0; y < ny; y++) for (let x = 0; x < nx; x++) if (m[y * nx + x] && cut(x, y)) (m[y * nx + x] = 0), n++;
  return n;
}

describe('fillCostalConcavities', () => {
  it('fills a bay cut into the lateral (costal) side and leaves a notch on the medial side open', () => {
    const { lungs, body, truth } = twoLungs();
    // costal bay: a disk of radius 12 centred on the lateral pleura of the left lung (x = 20, y = 60)
    const bay = carve(lungs[0], (x, y) => (x - 20) ** 2 + (y - 60) ** 2 <= 144);
    // mediastinal notch (a heart): a disk of radius 14 centred on the medial pleura of the right lung (x = 90, y = 45)
    const notch = carve(lungs[1], (x, y) => (x - 90) ** 2 + (y - 45) ** 2 <= 196);
    expect(bay).toBeGreaterThan(150);
    expect(notch).toBeGreaterThan(150);
    fillCostalConcavities(slice(lungs, body));
    let bayBack = 0, notchBack = 0, outside = 0;
    for (let i = 0; i < ny * nx; i++) {
      const x = i % nx, y = (i / nx) | 0;
      if (truth[0][i] && (x - 20) ** 2 + (y - 60) ** 2 <= 144) bayBack += lungs[0][i];
      if (truth[1][i] && (x - 90) ** 2 + (y - 45) ** 2 <= 196) notchBack += lungs[1][i];
      if (!truth[0][i] && lungs[0][i]) outside++;
    }
    // the hull's chord across the bay stays inside the ellipse: the bay comes back but for the sliver beyond the chord
    expect(bayBack / bay).toBeGreaterThan(0.75);
    expect(outside).toBe(0);
    expect(notchBack).toBe(0);
  });

  /** 1 within `width` px of the body's exterior: where a chest wall's ribs would be. */
  const ribRing = (body: Uint8Array, width: number) => {
    const ring = new Uint8Array(ny * nx);
    for (let y = 0; y < ny; y++)
      for (let x = 0; x < nx; x++) {
        let near = false;
        for (let dy = -width; dy <= width && !near; dy++)
          for (let dx = -width; dx <= width && !near; dx++) {
            const yy = y + dy, xx = x + dx;
            near = dx * dx + dy * dy <= width * width && (yy < 0 || yy >= ny || xx < 0 || xx >= nx || !body[yy * nx + xx]);
          }
        ring[y * nx + x] = near ? 1 : 0;
      }
    return ring;
  };
  /** Both lungs cupping a dome (a disk of radius 30 above each, as basal slices cup the liver and spleen). */
  const domes = () => {
    const l = twoLungs();
    const dome = (k: number) => (x: number, y: number) => (x - (k ? 115 : 45)) ** 2 + (y - 15) ** 2 <= 900;
    const carved = l.lungs.map((m, k) => carve(m, dome(k)));
    return { ...l, dome, carved };
  };
  const filledIn = (m: Uint8Array, inside: (x: number, y: number) => boolean) => {
    let n = 0;
    for (let i = 0; i < ny * nx; i++) if (m[i] && inside(i % nx, (i / nx) | 0)) n++;
    return n;
  };

  it('near bone only: the cup over a diaphragm dome is left open, a bay against the ribs is still filled', () => {
    // without the bone rule the cups' openings face neither the mediastinum nor the other lung: the domes are filled
    const open = domes();
    fillCostalConcavities(slice(open.lungs, open.body));
    for (const k of [0, 1]) expect(filledIn(open.lungs[k], open.dome(k)) / open.carved[k]).toBeGreaterThan(0.2); // the cup below the chord
    // with ribs along the body wall (20 px), the cups' openings cross the domes' middle, far from any rib
    const cup = domes();
    fillCostalConcavities({ ...slice(cup.lungs, cup.body), nearBone: ribRing(cup.body, 20) });
    for (const k of [0, 1]) expect(filledIn(cup.lungs[k], cup.dome(k))).toBe(0);
    // the lateral bay of the first test opens onto the ribs: filled as without the rule
    const { lungs, body, truth } = twoLungs();
    const bay = carve(lungs[0], (x, y) => (x - 20) ** 2 + (y - 60) ** 2 <= 144);
    fillCostalConcavities({ ...slice(lungs, body), nearBone: ribRing(body, 20) });
    let back = 0;
    for (let i = 0; i < ny * nx; i++) if (truth[0][i] && ((i % nx) - 20) ** 2 + (((i / nx) | 0) - 60) ** 2 <= 144) back += lungs[0][i];
    expect(back / bay).toBeGreaterThan(0.75);
  });

  it('feet first: a bay is kept only when at least half of it rests on the lungs of the slice below', () => {
    const bayAt = (x: number, y: number) => (x - 20) ** 2 + (y - 60) ** 2 <= 144;
    const run = (restsOn: Uint8Array) => {
      const { lungs, body, truth } = twoLungs();
      carve(lungs[0], bayAt);
      fillPleuralBays({ ...slice(lungs, body), restsOn }, { hullConcavities: true, maxDepthMm: 0, ribDistanceMm: 0, boneHu: 250, restOnLungBelow: true });
      let back = 0;
      for (let i = 0; i < ny * nx; i++) if (truth[0][i] && bayAt(i % nx, (i / nx) | 0)) back += lungs[0][i];
      return back;
    };
    // resting on the whole uncut lungs below (a consolidation above aerated lung): filled
    const below = twoLungs().lungs;
    expect(run(Uint8Array.from(below[0], (v, i) => v | below[1][i]))).toBeGreaterThan(150);
    // resting on nothing (liver under a dome): left open
    expect(run(new Uint8Array(ny * nx))).toBe(0);
  });

  it('with one lung in the slice nothing is filled (which side is mediastinal is unknown)', () => {
    const { lungs, body } = twoLungs();
    carve(lungs[0], (x, y) => (x - 20) ** 2 + (y - 60) ** 2 <= 144);
    lungs[1].fill(0);
    const before = lungs[0].slice();
    fillCostalConcavities(slice(lungs, body));
    expect(Buffer.from(lungs[0]).equals(Buffer.from(before))).toBe(true);
  });
});

describe('fillBeyondHull', () => {
  it('continues the pleura across a consolidated lung edge (its lateral cap), inside the true lung', () => {
    const { lungs, body, truth } = twoLungs();
    // consolidation takes the lateral 8 px of the left lung: the hull's chord cuts straight across
    const cap = carve(lungs[0], (x) => x < 28);
    fillBeyondHull(slice(lungs, body), 20);
    let back = 0, outside = 0;
    for (let i = 0; i < ny * nx; i++) {
      if (truth[0][i] && i % nx < 28) back += lungs[0][i];
      if (!truth[0][i] && lungs[0][i]) outside++;
    }
    expect(cap).toBeGreaterThan(300);
    expect(back / cap).toBeGreaterThan(0.5);
    // the continued pleura may overshoot the ellipse by a pixel along the curve, not more
    expect(outside).toBeLessThan(0.1 * cap);
    // the edges joining the two lungs (across the mediastinum) bulge nothing between them
    for (let y = 0; y < ny; y++) for (let x = 71; x < 89; x++) expect(lungs[0][y * nx + x] | lungs[1][y * nx + x]).toBe(0);
  });
});
