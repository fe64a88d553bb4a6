import { describe, expect, it } from 'vitest';
import { LABEL } from '@covseg/io';
import { correctionFromReference } from './correctionFromReference.js';

const { background: B, lung: L, ggo: G, consolidation: C, vessels: V } = LABEL;

describe('correctionFromReference', () => {
  it("paints the reference's lesion everywhere, turns unreferenced lesion into lung, keeps the rest", () => {
    const pseudo = Uint8Array.from([B, L, G, C, V, G, C, B, V]);
    const ref = Uint8Array.from([G, C, B, B, B, C, G, B, G]);
    expect(Array.from(correctionFromReference(pseudo, ref))).toEqual([G, C, L, L, V, C, G, B, G]);
    expect(Array.from(pseudo)).toEqual([B, L, G, C, V, G, C, B, V]); // input untouched
  });

  it('refuses a reference of another size', () => {
    expect(() => correctionFromReference(new Uint8Array(4), new Uint8Array(5))).toThrow(/5 pixels, pseudo-label slice 4/);
  });
});
