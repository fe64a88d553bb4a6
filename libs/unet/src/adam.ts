import * as tf from '@tensorflow/tfjs';
import type { TrainConfig } from './config.js';
import { fusedAdam } from '@covseg/tfjs-backend';

/** Serialisable optimizer state: step count and first/second moments per trainable weight (in order). */
export interface AdamState {
  step: number;
  names: string[];
  m: Float32Array[];
  v: Float32Array[];
}

/**
 * Adam with an explicit, exactly restorable state. tfjs's own Adam recomputes β^t with pow() on
 * setWeights while training multiplies step by step, so a restored run drifts in the last bits; here
 * the bias correction is a pure function of the step (float64), which makes resume bit-exact.
 */
export class Adam {
  private step = 0;
  private m: tf.Variable[] = [];
  private v: tf.Variable[] = [];

  constructor(private readonly lr: number, private readonly cfg: TrainConfig['adam'], private readonly vars: tf.Variable[]) {
    // tidy: a variable made from a tensor keeps that tensor alive (and its zeros, once the moment is reassigned) otherwise
    [this.m, this.v] = tf.tidy(() => [vars.map((x) => tf.variable(tf.zerosLike(x), false)), vars.map((x) => tf.variable(tf.zerosLike(x), false))]);
  }

  /** Applies one update from gradients keyed by variable name, at learning rate `lr` (default: the constructor's). */
  apply(grads: tf.NamedTensorMap, lr = this.lr): void {
    this.step++;
    const { beta1, beta2, epsilon } = this.cfg;
    const lrT = (lr * Math.sqrt(1 - beta2 ** this.step)) / (1 - beta1 ** this.step);
    tf.tidy(() => {
      this.vars.forEach((x, i) => {
        const g = grads[x.name];
        if (!g) return;
        const fused = fusedAdam(x, this.m[i], this.v[i], g, beta1, beta2, lrT, epsilon);
        if (fused) {
          this.m[i].assign(fused[1]);
          this.v[i].assign(fused[2]);
          x.assign(fused[0]);
          return;
        }
        const m = tf.add(tf.mul(this.m[i], beta1), tf.mul(g, 1 - beta1));
        const v = tf.add(tf.mul(this.v[i], beta2), tf.mul(tf.square(g), 1 - beta2));
        this.m[i].assign(m);
        this.v[i].assign(v);
        x.assign(tf.sub(x, tf.div(tf.mul(m, lrT), tf.add(tf.sqrt(v), epsilon))));
      });
    });
  }

  /** Copy of the state for a checkpoint (read asynchronously: GPU backends have no sync read in Node). */
  async getState(): Promise<AdamState> {
    const read = (ts: tf.Variable[]) => Promise.all(ts.map(async (t) => ((await t.data()) as Float32Array).slice()));
    return { step: this.step, names: this.vars.map((x) => x.name), m: await read(this.m), v: await read(this.v) };
  }

  /** Restores a state saved by getState (same variables, same order). */
  setState(s: AdamState): void {
    if (s.m.length !== this.vars.length) throw new Error(`optimizer state has ${s.m.length} moments, model has ${this.vars.length} trainable weights`);
    this.step = s.step;
    tf.tidy(() =>
      this.vars.forEach((x, i) => {
        this.m[i].assign(tf.tensor(s.m[i], x.shape));
        this.v[i].assign(tf.tensor(s.v[i], x.shape));
      }),
    );
  }

  dispose(): void {
    tf.dispose([...this.m, ...this.v]);
  }
}
