import { describe, expect, it } from 'vitest';
import { joinNegativeValues } from './runCli.js';

describe('joinNegativeValues', () => {
  it('keeps a negative window with its option, leaves everything else', () => {
    expect(joinNegativeValues(['ingest', 'a.png', '--window', '-1350,150', '--2d', '--set', 'x.y=-3', '--seed', '-1', '--out', 'o'])).toEqual(['ingest', 'a.png', '--window=-1350,150', '--2d', '--set', 'x.y=-3', '--seed=-1', '--out', 'o']);
    expect(joinNegativeValues(['--window=-1,2', '-x'])).toEqual(['--window=-1,2', '-x']);
  });
});
