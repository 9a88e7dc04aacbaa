// The trace: the project's public output format (docs/trace-format.md).
// Numbers are decimal strings so that exact values keep their digits.

export type Phase = "forward" | "loss" | "backward" | "update";

/** What a step computes; the checker and the renderers group steps by it. */
export type Quantity =
  | "z" // weighted input of a unit
  | "a" // activation
  | "loss" // loss of one example (or the batch cost)
  | "dL/da" // ∂L/∂a of a unit (output: from the loss; hidden: the sum over paths)
  | "path" // one downstream path's contribution δ_k w_kj to ∂L/∂a_j
  | "da/dz" // the activation's derivative
  | "delta" // ∂L/∂z
  | "dW" // ∂L/∂w
  | "db" // ∂L/∂b
  | "W+" // updated weight
  | "b+"; // updated bias

export interface ChainFactor {
  symbol: string;
  value: string;
}

export interface Step {
  id: string;
  phase: Phase;
  /** layer index as in the spec (0 = input); null for the loss */
  layer: number | null;
  unit: number | null;
  /** the sending unit (weights) or the downstream unit (paths) */
  other?: number;
  /** index of the example within a batch; absent for one example and for batch means */
  example?: number;
  quantity: Quantity;
  /** LaTeX of the quantity's symbol in the chosen notation */
  symbol: string;
  /** plain-text key a student types for this quantity: z_h1, dE/dw5, w5+ */
  key: string;
  formula: string;
  substituted: string;
  value: string;
  /** backward steps: the chain-rule factors whose product is the value */
  factors?: ChainFactor[];
  /**
   * The ids of the steps and given numbers (`given.input.0`, `given.weight.2.0.1`, `given.bias.1`,
   * `given.target.0`, `given.learningRate`) this step is computed from, in the order its formula
   * writes them: the trace's dependency edges, recorded once by the engine. Absent in traces
   * written before it was added.
   */
  reads?: string[];
}

export interface ExampleTrace {
  forward: { z: (string[] | null)[]; a: string[][] };
  loss: string;
  delta: (string[] | null)[];
}

export interface NetworkTrace {
  precision: string;
  notation: string;
  forward: { z: (string[] | null)[]; a: string[][] };
  /** the example's loss, or for a batch the cost: the mean of the examples' losses */
  loss: string;
  backward: {
    delta: (string[] | null)[];
    dW: string[][][];
    /** one entry per unit, or a single value for a shared bias (as the spec gave it) */
    db: (string[] | string)[];
  };
  update: { weights: string[][][]; biases: (string[] | string)[] };
  /** batch traces only: each example's forward pass, loss and deltas (top-level forward/delta are example 0's) */
  examples?: ExampleTrace[];
  steps: Step[];
}
