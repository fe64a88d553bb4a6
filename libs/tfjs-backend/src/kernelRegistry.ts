import * as tf from '@tensorflow/tfjs';

/** The arguments tfjs passes to a kernel function. */
export type KernelArgs = Parameters<tf.KernelFunc>[0];

interface Replaced { config: tf.KernelConfig; original: tf.KernelConfig }
const replaced = new Map<string, Replaced>();
const key = (kernelName: string, backendName: string) => `${backendName}/${kernelName}`;

/** The kernel registered before ours (tfjs's own), or the current one when we replaced nothing. */
export function stockKernel(kernelName: string, backendName: string): tf.KernelConfig {
  const r = replaced.get(key(kernelName, backendName));
  if (r) return r.original;
  const k = tf.getKernel(kernelName, backendName);
  if (!k) throw new Error(`no ${kernelName} kernel registered for ${backendName}`);
  return k;
}

/**
 * Replaces a backend's kernel with `make(original)`; replacing twice keeps the first original so
 * the stock kernel stays reachable (for fallbacks and tests).
 */
export function replaceKernel(kernelName: string, backendName: string, make: (original: tf.KernelFunc) => tf.KernelFunc): void {
  const original = stockKernel(kernelName, backendName);
  if (tf.getKernel(kernelName, backendName)) tf.unregisterKernel(kernelName, backendName);
  const config: tf.KernelConfig = { ...original, kernelFunc: make(original.kernelFunc) };
  tf.registerKernel(config);
  replaced.set(key(kernelName, backendName), { config, original });
}

/** Registers a kernel the backend lacks (e.g. wasm's Conv2DBackpropFilter); a no-op when one exists. */
export function addKernel(config: tf.KernelConfig): boolean {
  if (tf.getKernel(config.kernelName, config.backendName)) return false;
  tf.registerKernel(config);
  return true;
}

/** Puts every replaced kernel back to tfjs's own (tests compare both). */
export function restoreStockKernels(): void {
  for (const [k, r] of replaced) {
    const [backendName, kernelName] = k.split('/');
    tf.unregisterKernel(kernelName, backendName);
    tf.registerKernel(r.original);
  }
  replaced.clear();
}

/** Whether our kernel currently replaces `kernelName` on the backend (cheap; checked per gradient call). */
export function isReplaced(kernelName: string, backendName: string): boolean {
  return replaced.has(key(kernelName, backendName));
}

/** Names of the kernels currently replaced on a backend. */
export function replacedKernels(backendName: string): string[] {
  return [...replaced.keys()].filter((k) => k.startsWith(`${backendName}/`)).map((k) => k.slice(backendName.length + 1));
}
