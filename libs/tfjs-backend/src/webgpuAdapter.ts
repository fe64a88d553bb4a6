// A WebGPU adapter for tfjs in Node: Dawn from the `webgpu` npm package, set up the way
// @tensorflow/tfjs-backend-webgpu expects to find it in a browser.

/** What covseg reads of a GPUAdapter (a subset of the WebGPU IDL). */
export interface GpuAdapterLike {
  info?: { vendor?: string; architecture?: string; device?: string; description?: string; isFallbackAdapter?: boolean };
  isFallbackAdapter?: boolean;
  requestDevice(descriptor?: { requiredFeatures?: unknown[] } & Record<string, unknown>): Promise<unknown>;
}
interface GpuLike {
  requestAdapter(options?: object): Promise<GpuAdapterLike | null>;
}

/** The adapter found, in words, and whether it is a software rasteriser (lavapipe/llvmpipe, SwiftShader, WARP). */
export interface AdapterFacts {
  summary: string;
  software: boolean;
}

const SOFTWARE_ADAPTER = /llvmpipe|lavapipe|swiftshader|software|microsoft basic render/i;

/** Describes an adapter from its GPUAdapterInfo; `software` is true for CPU implementations of Vulkan/D3D. */
export function adapterFacts(adapter: GpuAdapterLike): AdapterFacts {
  const i = adapter.info ?? {};
  const parts = [i.description || i.device, i.vendor && `vendor ${i.vendor}`, i.architecture && `architecture ${i.architecture}`].filter(Boolean);
  const fallback = i.isFallbackAdapter ?? adapter.isFallbackAdapter ?? false;
  const software = fallback || SOFTWARE_ADAPTER.test(`${i.architecture} ${i.device} ${i.description}`);
  return { summary: parts.join(', ') || 'unnamed adapter', software };
}

/**
 * Wraps an adapter so that requestDevice gets a flat `requiredFeatures` list: tfjs-backend-webgpu
 * 4.22 pushes `['bgra8unorm-storage']` as a nested array, which Dawn happens to accept but a
 * WebIDL-strict runtime (Deno) rejects.
 */
function flatFeatures(adapter: GpuAdapterLike): GpuAdapterLike {
  const requestDevice = adapter.requestDevice.bind(adapter);
  return new Proxy(adapter, {
    get(target, prop) {
      if (prop === 'requestDevice') return (d: Parameters<GpuAdapterLike['requestDevice']>[0] = {}) => requestDevice({ ...d, requiredFeatures: d.requiredFeatures?.flat() });
      const v = (target as unknown as Record<PropertyKey, unknown>)[prop];
      // Dawn's methods check `this`: call them on the real adapter, not the proxy.
      return typeof v === 'function' ? v.bind(target) : v;
    },
  });
}

/** Dawn GPU objects created by this process, kept alive for its lifetime. */
const dawnInstances: GpuLike[] = [];

// Non-literal specifier: keeps tsc and bundlers from resolving the optional native package.
const dynamicImport = (spec: string): Promise<unknown> => import(spec);

/**
 * Finds a WebGPU adapter: the runtime's navigator.gpu if it has one, else Dawn from the `webgpu`
 * package. Returns the adapter's facts and `install()`, which sets globalThis.navigator.gpu (and
 * the WebGPU globals) so that importing @tensorflow/tfjs-backend-webgpu afterwards registers it —
 * the backend registers only if navigator.gpu exists at import. Throws when there is no adapter.
 */
export async function findWebgpuAdapter(): Promise<{ facts: AdapterFacts; install(): void }> {
  const g = globalThis as { navigator?: { gpu?: GpuLike } };
  let gpu = g.navigator?.gpu;
  let globals: object = {};
  if (!gpu) {
    try {
      const dawn = (await dynamicImport('webgpu')) as { create(flags: string[]): GpuLike; globals: object };
      gpu = dawn.create([]);
      globals = dawn.globals;
      dawnInstances.push(gpu); // never collected, even when its adapter is refused (see `wrapped` below)
    } catch (e) {
      throw new Error(`no WebGPU in this runtime (the 'webgpu' package did not load: ${String((e as Error)?.message ?? e).split('\n')[0]})`);
    }
  }
  const adapter = await gpu.requestAdapter({ powerPreference: 'high-performance' });
  if (!adapter) throw new Error('WebGPU has no adapter (no GPU, or no Vulkan driver Dawn accepts)');
  const chosen = flatFeatures(adapter);
  // tfjs asks navigator.gpu for an adapter again: hand it the one whose facts were checked. The
  // object also pins Dawn's GPU instance: once that is garbage-collected its devices crash the process.
  const wrapped: GpuLike & { instance: GpuLike } = { requestAdapter: async () => chosen, instance: gpu };
  return {
    facts: adapterFacts(adapter),
    install() {
      for (const [k, v] of Object.entries(globals)) if (!(k in globalThis)) Object.defineProperty(globalThis, k, { value: v, configurable: true, writable: true });
      Object.defineProperty(globalThis, 'navigator', { value: { ...(g.navigator ?? {}), gpu: wrapped }, configurable: true, writable: true });
    },
  };
}
