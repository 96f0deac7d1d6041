// The selfie made small on the phone before it goes over a weak network: a camera frame of a
// few megapixels becomes a JPEG of 480 px on its long side and a few tens of KB. The check-in
// function refuses a selfie under 10 KB or with a side under 240 px (selfie_rules.py), so the
// quality is raised for a frame that compresses too well (a dark room, a plain wall) and
// lowered for a busy one, a few tries at most.

/** The long side of the uploaded selfie, in pixels. */
export const LONG_SIDE = 480;
/** What the check-in function accepts (selfie_rules.MIN_BYTES, MIN_SIDE). */
export const SERVER_MIN_BYTES = 10_000;
export const SERVER_MIN_SIDE = 240;
/** What we aim at: enough for a face to be recognised, little to send. */
export const TARGET: Target = { min: 20_000, max: 40_000 };

export interface Target {
  min: number;
  max: number;
}
const QUALITIES = { first: 0.72, lowest: 0.4, highest: 0.95, step: 0.12 };
const TRIES = 5;

/** The size the frame is drawn at: its long side at most `longSide`, never enlarged beyond
 * the camera's own pixels, proportions kept. */
export function fitWithin(width: number, height: number, longSide: number = LONG_SIDE): { width: number; height: number } {
  if (width <= 0 || height <= 0) return { width: 0, height: 0 };
  const scale = Math.min(1, longSide / Math.max(width, height));
  return { width: Math.max(1, Math.round(width * scale)), height: Math.max(1, Math.round(height * scale)) };
}

/** The next quality to try after one gave `bytes`, or null: keep this one. */
export function nextQuality(bytes: number, quality: number, target: Target = TARGET): number | null {
  if (bytes > target.max && quality > QUALITIES.lowest) return Math.max(QUALITIES.lowest, quality - QUALITIES.step);
  if (bytes < target.min && quality < QUALITIES.highest) return Math.min(QUALITIES.highest, quality + QUALITIES.step);
  return null;
}

/** Of the tries made, the one to send: within the target if any, else the one nearest it
 * (above the server's minimum before anything else). */
export function bestTry<T extends { bytes: number }>(tries: T[], target: Target = TARGET): T | null {
  const within = tries.filter((t) => t.bytes >= target.min && t.bytes <= target.max);
  if (within.length > 0) return within[0]!;
  const miss = (b: number) => (b < SERVER_MIN_BYTES ? 1e9 : 0) + (b < target.min ? target.min - b : b - target.max);
  return [...tries].sort((a, b) => miss(a.bytes) - miss(b.bytes))[0] ?? null;
}

export interface Compressed {
  blob: Blob;
  width: number;
  height: number;
  quality: number;
}

function toBlob(canvas: HTMLCanvasElement, quality: number): Promise<Blob> {
  return new Promise((ok, fail) =>
    canvas.toBlob((blob) => (blob ? ok(blob) : fail(new Error('toBlob'))), 'image/jpeg', quality),
  );
}

/**
 * Draw a frame (a video element playing the camera, or a decoded photo) at `longSide` and
 * encode it as JPEG, adjusting the quality toward `target` (a leave's photographed document
 * uses a larger side and target). Canvas `toBlob` works in Chrome and
 * Safari alike (no OffscreenCanvas, which older iPhones lack).
 */
export async function compress(
  source: CanvasImageSource,
  width: number,
  height: number,
  longSide: number = LONG_SIDE,
  target: Target = TARGET,
): Promise<Compressed> {
  let best: Compressed & { bytes: number } = await encodeAt(source, width, height, longSide, target);
  // A frame with little in it (a plain wall, a dark room) stays under the server's minimum even
  // at the highest quality: more pixels, up to the camera's own, rather than a refused selfie.
  for (const side of largerSides(width, height, longSide)) {
    if (best.bytes >= SERVER_MIN_BYTES) break;
    best = await encodeAt(source, width, height, side, target);
  }
  return { blob: best.blob, width: best.width, height: best.height, quality: best.quality };
}

/** The sides tried after `longSide` for a frame that compresses too well: +1/3 each, at most
 * the frame's own long side. */
export function largerSides(width: number, height: number, longSide: number): number[] {
  const most = Math.max(width, height);
  const sides: number[] = [];
  for (let side = Math.round(longSide * 4 / 3); side < most; side = Math.round(side * 4 / 3)) sides.push(side);
  if (most > longSide) sides.push(most);
  return sides.slice(0, 3);
}

async function encodeAt(
  source: CanvasImageSource,
  width: number,
  height: number,
  longSide: number,
  target: Target,
): Promise<Compressed & { bytes: number }> {
  const size = fitWithin(width, height, longSide);
  const canvas = document.createElement('canvas');
  canvas.width = size.width;
  canvas.height = size.height;
  const context = canvas.getContext('2d');
  if (!context) throw new Error('canvas 2d');
  context.drawImage(source, 0, 0, size.width, size.height);
  const tries: (Compressed & { bytes: number })[] = [];
  let quality: number | null = QUALITIES.first;
  while (quality !== null && tries.length < TRIES) {
    const blob = await toBlob(canvas, quality);
    tries.push({ blob, width: size.width, height: size.height, quality, bytes: blob.size });
    quality = nextQuality(blob.size, quality, target);
  }
  return bestTry(tries, target)!;
}

/** A photo file (the `<input capture>` fallback) decoded for `compress`. */
export async function decodeFile(file: Blob): Promise<{ source: CanvasImageSource; width: number; height: number }> {
  if (typeof createImageBitmap === 'function') {
    // Orientation from EXIF is applied (the default "from-image"), as a phone's gallery shows it.
    const bitmap = await createImageBitmap(file);
    return { source: bitmap, width: bitmap.width, height: bitmap.height };
  }
  const url = URL.createObjectURL(file);
  try {
    const image = new Image();
    image.src = url;
    await image.decode();
    return { source: image, width: image.naturalWidth, height: image.naturalHeight };
  } finally {
    URL.revokeObjectURL(url);
  }
}
