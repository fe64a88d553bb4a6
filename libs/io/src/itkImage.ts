import type { Image } from 'itk-wasm';
import type { Geometry } from './volume.js';

type Typed = Int16Array | Uint8Array | Float32Array;

/** itk-wasm component type names of the typed arrays covseg writes. */
const COMPONENT: Record<string, 'int16' | 'uint8' | 'float32'> = { Int16Array: 'int16', Uint8Array: 'uint8', Float32Array: 'float32' };

/** Geometry of an itk-wasm 3D image in covseg's (z, y, x) convention. */
export function geometryFromImage(img: Image): Geometry {
  const [nx, ny, nz] = img.size;
  const [sx, sy, sz] = img.spacing;
  return {
    shape: [nz, ny, nx],
    spacing: [sz, sy, sx],
    origin: [img.origin[0], img.origin[1], img.origin[2]],
    direction: Array.from(img.direction as ArrayLike<number>, (d) => d + 0), // + 0 turns -0 into 0
  };
}

/** An itk-wasm image (x-fastest, same memory order as covseg) viewing `data` with geometry `g`. */
export function imageFromVoxels(g: Geometry, data: Typed): Image {
  return {
    imageType: { dimension: 3, componentType: COMPONENT[data.constructor.name], pixelType: 'Scalar', components: 1 },
    name: 'Image',
    origin: [...g.origin],
    spacing: [g.spacing[2], g.spacing[1], g.spacing[0]],
    direction: Float64Array.from(g.direction),
    size: [g.shape[2], g.shape[1], g.shape[0]],
    metadata: new Map(),
    data,
  } as unknown as Image;
}
