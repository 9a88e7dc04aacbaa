// Scalar reverse-mode autodiff in the style of micrograd, for training through a computation graph
// built in code (an MLP, one neuron) rather than parsed from a string. Each gate defines only its
// local gradient; backward() multiplies it by the upstream gradient. With a GraphRecorder active,
// every node and every edge's upstream × local = product is recorded in flat typed arrays (so a
// million edges cost tens of megabytes, not a million objects); without one, nothing is recorded.
import { stepId } from "./step-id.js";
import { GRAPH_OPS, type GraphEdge, type GraphNode, type GraphTrace } from "./graph.js";
import { ACTIVATIONS, type ActivationParams, type ScalarActivation } from "./activations.js";
import { floatArith as F } from "./numeric.js";

// The gates' functions and derivatives are the engine's single definitions (activations.ts, and
// the graph engine's exp and log), run in the float arithmetic; only add, mul and pow are here.
const NO_PARAMS: ActivationParams = { alpha: 0 };
const RELU = ACTIVATIONS.relu as ScalarActivation,
  TANH = ACTIVATIONS.tanh as ScalarActivation,
  SIGMOID = ACTIVATIONS.sigmoid as ScalarActivation;
const EXP = GRAPH_OPS.exp,
  LOG = GRAPH_OPS.log;

type Local = (v: Value) => number;

interface Gate {
  name: string;
  /** ∂out/∂a and, for binary gates, ∂out/∂b */
  localA: Local;
  localB?: Local;
  back: (v: Value) => void;
}

function gate(name: string, localA: Local, localB?: Local): Gate {
  // one back function per gate, so each call site below stays monomorphic
  const back = localB
    ? (v: Value) => {
        const g = v.grad;
        v.a!.grad += localA(v) * g;
        v.b!.grad += localB(v) * g;
      }
    : (v: Value) => {
        v.a!.grad += localA(v) * v.grad;
      };
  return { name, localA, localB, back };
}

const GATES = {
  add: gate(
    "+",
    () => 1,
    () => 1,
  ),
  mul: gate(
    "×",
    (v) => v.b!.data,
    (v) => v.a!.data,
  ),
  pow: gate("^", (v) => v.k * v.a!.data ** (v.k - 1)),
  relu: gate("ReLU", (v) => RELU.derivative(F, v.a!.data, v.data, NO_PARAMS)),
  tanh: gate("tanh", (v) => TANH.derivative(F, v.a!.data, v.data, NO_PARAMS)),
  sigmoid: gate("σ", (v) => SIGMOID.derivative(F, v.a!.data, v.data, NO_PARAMS)),
  exp: gate("exp", (v) => EXP.local(F, [v.a!.data], v.data, 0)),
  log: gate("log", (v) => LOG.local(F, [v.a!.data], v.data, 0)),
} as const;
const GATE_LIST: readonly Gate[] = Object.values(GATES);
const GATE_CODE = new Map<Gate, number>(GATE_LIST.map((g, i) => [g, i + 1]));

let recorder: GraphRecorder | null = null;
let stamp = 0;

export class Value {
  grad = 0;
  /** for topological sorting: the stamp of the last backward() that reached this node */
  mark = 0;
  /** the recorder's index of this node, when one was active */
  id = -1;
  constructor(
    public data: number,
    readonly a: Value | null = null,
    readonly b: Value | null = null,
    readonly gate: Gate | null = null,
    /** the exponent of a pow gate */
    readonly k = 0,
  ) {
    if (recorder !== null) this.id = recorder.node(this);
  }
  static of(x: Value | number): Value {
    return x instanceof Value ? x : new Value(x);
  }
  add(o: Value | number): Value {
    const b = Value.of(o);
    return new Value(this.data + b.data, this, b, GATES.add);
  }
  mul(o: Value | number): Value {
    const b = Value.of(o);
    return new Value(this.data * b.data, this, b, GATES.mul);
  }
  pow(k: number): Value {
    return new Value(this.data ** k, this, null, GATES.pow, k);
  }
  relu(): Value {
    return new Value(RELU.value(F, this.data, NO_PARAMS), this, null, GATES.relu);
  }
  tanh(): Value {
    return new Value(TANH.value(F, this.data, NO_PARAMS), this, null, GATES.tanh);
  }
  sigmoid(): Value {
    return new Value(SIGMOID.value(F, this.data, NO_PARAMS), this, null, GATES.sigmoid);
  }
  exp(): Value {
    return new Value(EXP.value(F, [this.data]), this, null, GATES.exp);
  }
  log(): Value {
    return new Value(LOG.value(F, [this.data]), this, null, GATES.log);
  }
  neg(): Value {
    return this.mul(-1);
  }
  sub(o: Value | number): Value {
    return this.add(Value.of(o).neg());
  }
  div(o: Value | number): Value {
    return this.mul(Value.of(o).pow(-1));
  }

  /** ∂this/∂node for every node below this one (accumulated into .grad; zero them first). */
  backward(): void {
    const topo = topoOrder(this);
    this.grad = 1;
    const rec = recorder;
    for (let i = topo.length - 1; i >= 0; i--) {
      const v = topo[i];
      if (v.gate === null) continue;
      if (rec !== null) rec.edges(v);
      v.gate.back(v);
    }
  }
}

/** Nodes in an order where every node comes after its operands (iterative: deep graphs are fine). */
function topoOrder(root: Value): Value[] {
  const s = ++stamp,
    topo: Value[] = [],
    stack: Value[] = [root],
    expanded: boolean[] = [false];
  root.mark = s;
  while (stack.length) {
    const top = stack.length - 1,
      v = stack[top];
    if (expanded[top]) {
      stack.pop();
      expanded.pop();
      topo.push(v);
      continue;
    }
    expanded[top] = true;
    if (v.b !== null && v.b.mark !== s) {
      v.b.mark = s;
      stack.push(v.b);
      expanded.push(false);
    }
    if (v.a !== null && v.a.mark !== s) {
      v.a.mark = s;
      stack.push(v.a);
      expanded.push(false);
    }
  }
  return topo;
}

/** A growable column of numbers. */
class Column<A extends Float64Array | Int32Array | Uint8Array> {
  length = 0;
  constructor(
    public data: A,
    private readonly make: (n: number) => A,
  ) {}
  push(x: number): number {
    if (this.length === this.data.length) {
      const bigger = this.make(this.data.length * 2);
      bigger.set(this.data);
      this.data = bigger;
    }
    this.data[this.length] = x;
    return this.length++;
  }
}
const f64 = (n: number) => new Float64Array(n),
  i32 = (n: number) => new Int32Array(n),
  u8 = (n: number) => new Uint8Array(n);

/**
 * Records every node created and every edge visited by backward() while it is active
 * (`recorder.record(() => ...)`). Columns: node gate code (0 = leaf), operands, value; edge
 * from, to, upstream, local, product.
 */
export class GraphRecorder {
  readonly gate = new Column(u8(1024), u8);
  readonly a = new Column(i32(1024), i32);
  readonly b = new Column(i32(1024), i32);
  readonly value = new Column(f64(1024), f64);
  readonly from = new Column(i32(1024), i32);
  readonly to = new Column(i32(1024), i32);
  readonly upstream = new Column(f64(1024), f64);
  readonly local = new Column(f64(1024), f64);
  readonly product = new Column(f64(1024), f64);

  get nodeCount(): number {
    return this.value.length;
  }
  get edgeCount(): number {
    return this.from.length;
  }

  /** Run fn with this recorder active. */
  record<R>(fn: () => R): R {
    const before = recorder;
    // eslint-disable-next-line @typescript-eslint/no-this-alias -- this recorder becomes the active one
    recorder = this;
    try {
      return fn();
    } finally {
      recorder = before;
    }
  }

  /** Forget what was recorded (keep the memory). */
  clear(): void {
    for (const c of [
      this.gate,
      this.a,
      this.b,
      this.value,
      this.from,
      this.to,
      this.upstream,
      this.local,
      this.product,
    ])
      c.length = 0;
  }

  node(v: Value): number {
    this.gate.push(v.gate ? GATE_CODE.get(v.gate)! : 0);
    this.a.push(v.a ? v.a.id : -1);
    this.b.push(v.b ? v.b.id : -1);
    return this.value.push(v.data);
  }

  edges(v: Value): void {
    const g = v.gate!;
    this.edge(v.a!, v, g.localA(v));
    if (g.localB) this.edge(v.b!, v, g.localB(v));
  }

  private edge(from: Value, to: Value, local: number): void {
    this.from.push(from.id);
    this.to.push(to.id);
    this.upstream.push(to.grad);
    this.local.push(local);
    this.product.push(to.grad * local);
  }

  /** The recording as a graph trace (for drawing small graphs); `labels` names nodes by their Value. */
  toTrace(output: Value, labels: ReadonlyMap<Value, string> = new Map()): GraphTrace {
    const name = new Map<number, string>();
    for (const [v, l] of labels) if (v.id >= 0) name.set(v.id, l);
    const grad = new Float64Array(this.nodeCount);
    for (let e = 0; e < this.edgeCount; e++) grad[this.from.data[e]] += this.product.data[e];
    if (output.id >= 0) grad[output.id] = 1;
    const nodes: GraphNode[] = [];
    for (let i = 0; i < this.nodeCount; i++) {
      const code = this.gate.data[i];
      const operands = [this.a.data[i], this.b.data[i]].filter((x) => x >= 0).map((x) => `v${x}`);
      const label = name.get(i) ?? (code ? GATE_LIST[code - 1].name : String(this.value.data[i]));
      nodes.push({
        id: `v${i}`,
        label,
        ...(name.has(i) ? { name: name.get(i)! } : {}),
        kind: i === output.id ? "output" : code ? "op" : name.has(i) ? "input" : "const",
        inputs: operands,
        tex: name.get(i) ?? `v_{${i}}`,
        formula: "",
        value: String(this.value.data[i]),
        grad: String(grad[i]),
      });
    }
    const edges: GraphEdge[] = [];
    let operand = 0;
    for (let e = 0; e < this.edgeCount; e++) {
      const from = `v${this.from.data[e]}`,
        to = `v${this.to.data[e]}`;
      // edges() records a node's operand a, then its operand b (if any) right after it
      operand =
        operand === 0 && e > 0 && this.to.data[e - 1] === this.to.data[e] && this.b.data[this.to.data[e]] >= 0 ? 1 : 0;
      edges.push({
        id: stepId({ phase: "edge", from, to, operand }),
        from,
        to,
        upstream: String(this.upstream.data[e]),
        local: String(this.local.data[e]),
        product: String(this.product.data[e]),
      });
    }
    return { expression: "", precision: "float", output: `v${output.id}`, nodes, edges, steps: [] };
  }
}

/** A multilayer perceptron of Values (micrograd's MLP): ReLU hidden layers, a linear output. */
export interface ValueMLP {
  layers: { w: Value[]; b: Value }[][];
  call(x: readonly (Value | number)[]): Value[];
  parameters(): Value[];
}

/** weights[l][j][k] from unit k of layer l to unit j of layer l + 1, as in the network spec. */
export function valueMLP(
  weights: readonly (readonly (readonly number[])[])[],
  biases?: readonly (readonly number[])[],
): ValueMLP {
  const layers = weights.map((W, l) =>
    W.map((row, j) => ({ w: row.map((x) => new Value(x)), b: new Value(biases?.[l]?.[j] ?? 0) })),
  );
  return {
    layers,
    call(x) {
      let input: (Value | number)[] = [...x];
      layers.forEach((layer, l) => {
        const last = l === layers.length - 1;
        input = layer.map((n) => {
          let act = n.b;
          for (let i = 0; i < n.w.length; i++) act = act.add(n.w[i].mul(input[i]));
          return last ? act : act.relu();
        });
      });
      return input as Value[];
    },
    parameters: () => layers.flatMap((layer) => layer.flatMap((n) => [...n.w, n.b])),
  };
}
