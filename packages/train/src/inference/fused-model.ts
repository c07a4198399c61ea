import * as tf from "@tensorflow/tfjs";
import { foldGraph } from "./fold.ts";
import { type GraphNode, type InferenceGraph, readGraph, UnsupportedLayerError } from "./graph.ts";

/** Something that maps a batch of NHWC images to logits: a folded graph, or a LayersModel as it is. */
export interface TfjsPredictor {
  predict(x: tf.Tensor4D): tf.Tensor;
  dispose(): void;
}

/**
 * A folded graph run with tfjs ops: conv + bias + ReLU as one tf.fused.conv2d (the wasm backend's
 * FusedConv2D: XNNPACK applies bias and the ReLU clamp in the convolution's output loop), dense + bias (+ReLU)
 * as tf.fused.matMul. Weights are uploaded once as tensors owned by this object (the wasm backend also caches
 * its XNNPACK operators per filter tensor, so they must stay the same tensors across batches).
 */
export class FusedModel implements TfjsPredictor {
  private readonly tensors = new Map<string, { w: tf.Tensor; b: tf.Tensor | undefined; s?: tf.Tensor }>();
  constructor(readonly graph: InferenceGraph) {
    for (const n of graph.nodes) {
      if (n.op === "conv") {
        this.tensors.set(n.name, {
          w: tf.tensor4d(n.kernel, n.kernelShape),
          b: n.bias ? tf.tensor1d(n.bias) : undefined,
        });
      } else if (n.op === "dense") {
        this.tensors.set(n.name, {
          w: tf.tensor2d(n.kernel, n.kernelShape),
          b: n.bias ? tf.tensor1d(n.bias) : undefined,
        });
      } else if (n.op === "affine") {
        this.tensors.set(n.name, { w: tf.tensor1d(n.scale), b: tf.tensor1d(n.shift) });
      }
    }
  }

  predict(x: tf.Tensor4D): tf.Tensor {
    return tf.tidy(() => {
      const values = new Map<string, tf.Tensor>([[this.graph.input.name, x]]);
      for (const n of this.graph.nodes)
        values.set(
          n.name,
          this.run(
            n,
            n.inputs.map((i) => values.get(i) as tf.Tensor),
          ),
        );
      return values.get(this.graph.output) as tf.Tensor;
    });
  }

  private run(n: GraphNode, inputs: tf.Tensor[]): tf.Tensor {
    const x = inputs[0] as tf.Tensor;
    const t = this.tensors.get(n.name);
    switch (n.op) {
      case "conv":
        return tf.fused.conv2d({
          x: x as tf.Tensor4D,
          filter: t?.w as tf.Tensor4D,
          strides: n.strides,
          pad: n.padding,
          bias: t?.b,
          activation: n.activation,
        });
      case "dense":
        return tf.fused.matMul({ a: x as tf.Tensor2D, b: t?.w as tf.Tensor2D, bias: t?.b, activation: n.activation });
      case "affine":
        return tf.add(tf.mul(x, t?.w as tf.Tensor), t?.b as tf.Tensor);
      case "relu":
        return tf.relu(x);
      case "add": {
        const sum = tf.addN(inputs);
        return n.activation === "relu" ? tf.relu(sum) : sum;
      }
      case "maxpool":
        return tf.maxPool(x as tf.Tensor4D, n.size, n.strides, n.padding);
      case "gap":
        return tf.mean(x, [1, 2]);
      case "flatten":
        return tf.reshape(x, [x.shape[0] as number, -1]);
    }
  }

  dispose(): void {
    for (const t of this.tensors.values()) tf.dispose([t.w, ...(t.b ? [t.b] : [])]);
    this.tensors.clear();
  }
}

/**
 * The model's inference path: BN folded into the convs and conv + bias + ReLU fused where every layer is one
 * the graph reader knows (the whole zoo), else the LayersModel itself. The weights are read now, so a model
 * still training must be compiled again after its weights change.
 */
export function compileForInference(model: tf.LayersModel): TfjsPredictor & { fused: boolean } {
  try {
    const fused = new FusedModel(foldGraph(readGraph(model)));
    return Object.assign(fused, { fused: true });
  } catch (err) {
    if (!(err instanceof UnsupportedLayerError)) throw err;
    return { fused: false, predict: (x) => model.predict(x) as tf.Tensor, dispose: () => {} };
  }
}
