import { describe, expect, it } from 'vitest';
import { coronalPlane, lungRichestRow } from './coronalPlane.js';

describe('coronalPlane', () => {
  it('takes row y of every slice, superior side up, each slice repeated sz / sx times', () => {
    // 3 slices of 2 × 2, value = 10 z + 2 y + x; slices 2 mm apart, 1 mm pixels → 6 rows
    const data = Int16Array.from({ length: 12 }, (_, i) => 10 * Math.floor(i / 4) + (i % 4));
    const up = coronalPlane(data, { shape: [3, 2, 2], spacing: [2, 1, 1], direction: [1, 0, 0, 0, 1, 0, 0, 0, 1] }, 1);
    expect(up).toEqual({ values: Int16Array.from([22, 23, 22, 23, 12, 13, 12, 13, 2, 3, 2, 3]), width: 2, height: 6 });
    // z growing toward the feet: the first slice is the most superior
    const down = coronalPlane(data, { shape: [3, 2, 2], spacing: [1, 1, 1], direction: [1, 0, 0, 0, 1, 0, 0, 0, -1] }, 0);
    expect(Array.from(down.values)).toEqual([0, 1, 10, 11, 20, 21]);
  });
  it('finds the row with most lung', () => {
    const labels = new Uint8Array(2 * 3 * 2);
    labels.set([1, 2], 2); // z 0, y 1
    labels.set([4, 0], 8); // z 1, y 1
    expect(lungRichestRow(labels, [2, 3, 2])).toBe(1);
  });
});
