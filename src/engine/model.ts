// The network as the math sees it: its parameters in one arithmetic, what a forward pass gives
// and what a backward pass gives. Shared by the network code, the optimizers and training.
import type { Arith } from "./numeric.js";
import type { ResolvedActivation } from "./activations.js";
import type { Loss } from "./losses.js";

/** The parameters of a network in one arithmetic. Biases are per unit; a shared bias repeats. */
export interface Params<T> {
  W: T[][][];
  b: T[][];
}

export interface Net<T> {
  A: Arith<T>;
  layers: number[];
  activations: ResolvedActivation[];
  loss: Loss;
  sharedBias: boolean[];
  params: Params<T>;
}

export interface ForwardResult<T> {
  /** z[0] is empty (the input layer computes nothing) */
  z: T[][];
  a: T[][];
}

export interface Gradients<T> {
  /** δ = ∂L/∂z per layer and unit; delta[0] is empty */
  delta: T[][];
  dW: T[][][];
  /** per unit; for a shared bias every unit holds the layer's summed gradient */
  db: T[][];
}
