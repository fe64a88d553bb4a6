// Timing of a training step for the training benches: wall and CPU time per step, slices/s, and with --profile the kernels.
type Tf = typeof import('@tensorflow/tfjs');

/** Runs `step` `steps` times (after the caller's warm-up): ms/step wall and CPU (all threads), slices/s for `batch` slices, live tensors; kernel times with --profile. */
export async function timeSteps(tf: Tf, step: () => Promise<unknown> | void, steps: number, batch: number): Promise<Record<string, unknown>> {
  const result: Record<string, unknown> = {};
  const t = performance.now(), cpu0 = process.cpuUsage();
  for (let i = 0; i < steps; i++) await step();
  result.msPerStep = (performance.now() - t) / steps;
  // CPU time (all threads) is steadier than wall time on a shared machine; reported beside it.
  const cpu = process.cpuUsage(cpu0);
  result.cpuMsPerStep = (cpu.user + cpu.system) / 1000 / steps;
  result.slicesPerS = (batch * 1000) / (result.msPerStep as number);
  if (process.argv.includes('--profile')) {
    const prof = await tf.profile(() => step() as never);
    const byName = new Map<string, { ms: number; calls: number }>();
    for (const k of prof.kernels) {
      const e = byName.get(k.name) ?? { ms: 0, calls: 0 };
      e.ms += k.kernelTimeMs as number;
      e.calls++;
      byName.set(k.name, e);
    }
    result.kernels = [...byName].map(([name, e]) => ({ name, ...e })).sort((a, b) => b.ms - a.ms);
    result.kernelTotalMs = [...byName.values()].reduce((s, e) => s + e.ms, 0);
  }
  result.numTensors = tf.memory().numTensors;
  return result;
}
