import * as tf from "@tensorflow/tfjs";

export interface SgdOptions {
  momentum: number;
  nesterov: boolean;
  weightDecay: number;
}

/**
 * SGD with momentum, written out (instead of tf.train.momentum) so its state is ours to checkpoint.
 * Weight decay is L2, coupled: wd·w is added to the gradient before momentum, as in PyTorch's SGD and the
 * ResNet paper, so published CIFAR hyper-parameters (5e-4) carry over. It applies to conv/dense kernels only;
 * decaying BatchNorm scales and biases only hurts (they do not control capacity).
 *   v ← μ·v + g;   w ← w − lr·(nesterov ? g + μ·v : v)
 */
export class Sgd {
  readonly buffers: tf.Variable[];
  constructor(
    /** `lrScale` multiplies the step's learning rate for that variable (fine-tuning's slower body). */
    readonly variables: { name: string; variable: tf.Variable; lrScale?: number }[],
    readonly opts: SgdOptions,
  ) {
    this.buffers = variables.map((v) => tf.variable(tf.zerosLike(v.variable), false, undefined));
  }

  static decays(name: string): boolean {
    return /kernel$/.test(name);
  }

  /** `grads[i]` belongs to `variables[i]`; the caller disposes them. */
  apply(grads: tf.Tensor[], lr: number): void {
    const { momentum, nesterov, weightDecay } = this.opts;
    tf.tidy(() => {
      this.variables.forEach(({ name, variable, lrScale }, i) => {
        const grad = grads[i];
        const buf = this.buffers[i];
        if (!grad || !buf) throw new Error(`missing gradient for ${name}`);
        const g = weightDecay > 0 && Sgd.decays(name) ? grad.add(variable.mul(weightDecay)) : grad;
        const v = buf.mul(momentum).add(g);
        buf.assign(v);
        variable.assign(variable.sub((nesterov ? g.add(v.mul(momentum)) : v).mul(lr * (lrScale ?? 1))));
      });
    });
  }

  dispose(): void {
    for (const b of this.buffers) b.dispose();
  }
}
