import * as tf from '@tensorflow/tfjs';

// tfjs's gradients of Mean and Sum multiply dy by ones(x.shape): a ones array built on the CPU and
// uploaded, per call. In a 512² batch-8 U-Net step that is every batch-norm mean and the loss sums —
// on an H200 it took ~2 s of a 3.5 s step (V8 profile: makeOnesTypedArray, createBuffer,
// uploadToGPU) while the GPU idled. On webgpu these broadcast dy on the GPU instead (Tile kernel).

type GradFunc = tf.GradConfig['gradFunc'];
type Marked = tf.GradConfig & { covsegWebgpu?: boolean };

/** dy reshaped to x's rank (reduced axes of size 1), divided by the reduced size for a mean, broadcast to x's shape. */
function broadcastBack(dy: tf.Tensor, x: tf.Tensor, axis: number | number[] | undefined, mean: boolean): tf.Tensor {
  const axes = axis === undefined || axis === null ? x.shape.map((_, i) => i) : tf.util.parseAxisParam(axis, x.shape);
  const expanded = x.shape.map((d, i) => (axes.includes(i) ? 1 : d));
  const reduced = axes.reduce((n, a) => n * x.shape[a], 1);
  const r = tf.reshape(dy, expanded);
  return tf.broadcastTo(mean ? tf.div(r, reduced) : r, x.shape);
}

/** Wraps the registered Mean and Sum gradients with a webgpu route (other backends keep theirs); idempotent. */
export function registerWebgpuGradients(): void {
  // Re-registering a gradient prints a tfjs warning per call; silence it for these two.
  const warn = console.warn;
  console.warn = () => {};
  try {
    for (const [name, mean] of [['Mean', true], ['Sum', false]] as const) {
      const prev = tf.getGradient(name) as Marked | undefined;
      if (!prev || prev.covsegWebgpu) continue;
      const gradFunc: GradFunc = (dy, saved, attrs) =>
        tf.getBackend() !== 'webgpu' || (dy as tf.Tensor).dtype !== 'float32'
          ? prev.gradFunc(dy, saved, attrs)
          : { x: () => broadcastBack(dy as tf.Tensor, saved[0], (attrs as { axis?: number | number[] }).axis, mean) };
      tf.registerGradient({ ...prev, gradFunc, covsegWebgpu: true } as Marked);
    }
  } finally {
    console.warn = warn;
  }
}
