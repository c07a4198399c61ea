import * as tf from "@tensorflow/tfjs";

/** Everything a model constructor needs. */
export interface ModelSpec {
  inputSize: number;
  numClasses: number;
  /** Channel-width multiplier (1 = the published widths). */
  width: number;
  /** Seeds the initialisers, so the same seed builds the same initial weights. */
  seed: number;
}

/**
 * Thin helpers over tf.layers with explicit layer names (stable across processes, unlike tfjs' global
 * counters) and seeded He initialisation (the right scale for ReLU networks).
 */
export class Builder {
  private seedCounter: number;
  constructor(
    readonly spec: ModelSpec,
    private readonly prefix: string,
  ) {
    // tfjs treats seed 0 as "unseeded" (falsy), so never hand it a 0.
    this.seedCounter = spec.seed * 10_007 + 1;
  }

  ch(n: number): number {
    return Math.max(4, Math.round(n * this.spec.width));
  }

  private init() {
    return tf.initializers.heNormal({ seed: this.seedCounter++ });
  }

  input(): tf.SymbolicTensor {
    return tf.input({ shape: [this.spec.inputSize, this.spec.inputSize, 3], name: `${this.prefix}_input` });
  }

  conv(
    x: tf.SymbolicTensor,
    name: string,
    filters: number,
    kernel: number,
    opts: { stride?: number; bias?: boolean; padding?: "same" | "valid" } = {},
  ): tf.SymbolicTensor {
    return tf.layers
      .conv2d({
        name,
        filters,
        kernelSize: kernel,
        strides: opts.stride ?? 1,
        padding: opts.padding ?? "same",
        useBias: opts.bias ?? false,
        kernelInitializer: this.init(),
      })
      .apply(x) as tf.SymbolicTensor;
  }

  bn(x: tf.SymbolicTensor, name: string): tf.SymbolicTensor {
    // momentum 0.9: moving statistics settle within a few hundred steps, which short schedules need.
    return tf.layers.batchNormalization({ name, momentum: 0.9, epsilon: 1e-5 }).apply(x) as tf.SymbolicTensor;
  }

  relu(x: tf.SymbolicTensor, name: string): tf.SymbolicTensor {
    return tf.layers.activation({ name, activation: "relu" }).apply(x) as tf.SymbolicTensor;
  }

  convBnRelu(x: tf.SymbolicTensor, name: string, filters: number, kernel = 3, stride = 1): tf.SymbolicTensor {
    return this.relu(this.bn(this.conv(x, `${name}_conv`, filters, kernel, { stride }), `${name}_bn`), `${name}_relu`);
  }

  maxPool(x: tf.SymbolicTensor, name: string, size = 2, stride = size): tf.SymbolicTensor {
    return tf.layers
      .maxPooling2d({ name, poolSize: size, strides: stride, padding: "same" })
      .apply(x) as tf.SymbolicTensor;
  }

  add(a: tf.SymbolicTensor, b: tf.SymbolicTensor, name: string): tf.SymbolicTensor {
    return tf.layers.add({ name }).apply([a, b]) as tf.SymbolicTensor;
  }

  /** Global average pooling then the classifier; logits out (softmax lives in the loss). */
  head(x: tf.SymbolicTensor, dropout = 0): tf.SymbolicTensor {
    let y = tf.layers.globalAveragePooling2d({ name: "head_pool" }).apply(x) as tf.SymbolicTensor;
    if (dropout > 0) y = this.dropout(y, "head_dropout", dropout);
    return this.dense(y, "head_fc", this.spec.numClasses);
  }

  dense(x: tf.SymbolicTensor, name: string, units: number, activation?: "relu"): tf.SymbolicTensor {
    return tf.layers
      .dense({
        name,
        units,
        activation: activation ?? "linear",
        kernelInitializer: tf.initializers.glorotUniform({ seed: this.seedCounter++ }),
      })
      .apply(x) as tf.SymbolicTensor;
  }

  flatten(x: tf.SymbolicTensor, name: string): tf.SymbolicTensor {
    return tf.layers.flatten({ name }).apply(x) as tf.SymbolicTensor;
  }

  dropout(x: tf.SymbolicTensor, name: string, rate: number): tf.SymbolicTensor {
    return tf.layers.dropout({ name, rate, seed: this.seedCounter++ }).apply(x) as tf.SymbolicTensor;
  }

  model(input: tf.SymbolicTensor, output: tf.SymbolicTensor): tf.LayersModel {
    return tf.model({ inputs: input, outputs: output, name: this.prefix });
  }
}

/** A basic residual block (two 3×3 convs); a 1×1 projection shortcut when the shape changes. */
export function basicBlock(
  b: Builder,
  x: tf.SymbolicTensor,
  name: string,
  filters: number,
  stride: number,
): tf.SymbolicTensor {
  const inChannels = x.shape[3];
  let y = b.convBnRelu(x, `${name}_a`, filters, 3, stride);
  y = b.bn(b.conv(y, `${name}_b_conv`, filters, 3), `${name}_b_bn`);
  // Projection (the ResNet paper's option B) rather than option A's zero-padded identity: option A needs a
  // custom layer, which a saved model.json could not be reloaded without.
  const shortcut =
    stride !== 1 || inChannels !== filters
      ? b.bn(b.conv(x, `${name}_proj_conv`, filters, 1, { stride }), `${name}_proj_bn`)
      : x;
  return b.relu(b.add(y, shortcut, `${name}_add`), `${name}_out`);
}
