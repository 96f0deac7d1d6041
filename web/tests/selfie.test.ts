// The selfie's size: 480 px on the long side, never enlarged; the quality walks toward 20-40 KB
// and never settles under the server's 10 KB minimum when a try above it exists.
import { describe, expect, it } from 'vitest';
import { bestTry, fitWithin, nextQuality, SERVER_MIN_BYTES, TARGET } from '../src/lib/selfie';

describe('fitWithin', () => {
  it('scales a camera frame to 480 px on its long side, proportions kept', () => {
    expect(fitWithin(1920, 1080)).toEqual({ width: 480, height: 270 });
    expect(fitWithin(3024, 4032)).toEqual({ width: 360, height: 480 });
  });
  it('does not enlarge a small frame', () => {
    expect(fitWithin(320, 240)).toEqual({ width: 320, height: 240 });
  });
  it('gives nothing for an empty frame', () => {
    expect(fitWithin(0, 480)).toEqual({ width: 0, height: 0 });
  });
});

describe('quality', () => {
  it('lowers the quality of a heavy frame, raises that of a light one, keeps one within', () => {
    expect(nextQuality(90_000, 0.72)).toBeLessThan(0.72);
    expect(nextQuality(8_000, 0.72)).toBeGreaterThan(0.72);
    expect(nextQuality(30_000, 0.72)).toBeNull();
  });
  it('stops at the ends of the range', () => {
    expect(nextQuality(90_000, 0.4)).toBeNull();
    expect(nextQuality(5_000, 0.95)).toBeNull();
  });
  it('picks a try within the target, else the nearest above the server minimum', () => {
    expect(bestTry([{ bytes: 50_000 }, { bytes: 35_000 }, { bytes: 22_000 }])?.bytes).toBe(35_000);
    expect(bestTry([{ bytes: 9_000 }, { bytes: 15_000 }])?.bytes).toBe(15_000);
    expect(bestTry([{ bytes: 60_000 }, { bytes: 45_000 }])?.bytes).toBe(45_000);
    expect(bestTry([{ bytes: 9_999 }, { bytes: 70_000 }])!.bytes).toBeGreaterThanOrEqual(SERVER_MIN_BYTES);
    expect(TARGET.max).toBeLessThanOrEqual(40_000);
  });
});

describe('largerSides', () => {
  it('grows by a third up to the frame, for a frame under the server minimum', async () => {
    const { largerSides } = await import('../src/lib/selfie');
    expect(largerSides(1280, 720, 480)).toEqual([640, 853, 1137]);
    expect(largerSides(640, 480, 480)).toEqual([640]);
    expect(largerSides(480, 360, 480)).toEqual([]);
  });
});
