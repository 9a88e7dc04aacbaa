// Step ids: the names by which a trace's steps are found, overridden, checked and drawn. They are
// part of the public trace format (docs/trace-format.md), so they are built and read here only:
// `stepId(record)` writes one, `parseStepId(id)` reads it back. The strings are dot-separated:
//
//   forward.z.<layer>.<unit>            forward.a.<layer>.<unit>            loss
//   backward.dL/da.<layer>.<unit>       backward.da/dz.<layer>.<unit>       backward.delta.<layer>.<unit>
//   backward.path.<layer>.<unit>.<downstream unit>                          backward.dW.<layer>.<unit>.<from unit>
//   backward.db.<layer>.<unit>          backward.db.<layer> (a shared bias)
//   loss.mean   backward.mean.dW.<layer>.<unit>.<from unit>   backward.mean.db.<layer>[.<unit>]   (a batch's means)
//   update.W.<layer>.<unit>.<from unit> update.b.<layer>.<unit>             update.b.<layer> (a shared bias)
//   example.<i>.<any forward, loss or backward id above>                    (one example of a batch)
//   given.input.<unit>                  given.weight.<layer>.<unit>.<from unit>   (numbers of the spec)
//   given.bias.<layer>[.<unit>]         given.target.<unit>                 given.learningRate
//   forward.<node>   backward.<node>    given.<node>   edge.<from node>.<to node>.<operand>   (computation graphs)
//
// Graph node ids (x, q, n3, c1) are identifiers without dots, so a graph id always has fewer
// parts than the network id of the same phase, and the two never read alike; the one exception is
// given.learningRate, which reads as the network's (a graph input called learningRate keeps its
// id, but parseStepId reads it as the learning rate).
import { TutorError } from "./errors.js";

/** The quantities a network step id names in each phase. */
export type ForwardQuantity = "z" | "a";
export type BackwardUnitQuantity = "dL/da" | "da/dz" | "delta";

/**
 * What a step id says, as a record. `other` is the second unit, as in a trace's Step: the sending
 * unit of a weight (dW, W, given weight), the downstream unit of a path. `example` is the index of
 * the example within a batch, absent for one example and for the batch's means and update.
 */
export type StepIdRecord =
  | { phase: "forward"; quantity: ForwardQuantity; layer: number; unit: number; example?: number }
  | { phase: "loss"; example?: number }
  | { phase: "loss"; mean: true }
  | { phase: "backward"; quantity: BackwardUnitQuantity; layer: number; unit: number; example?: number }
  | { phase: "backward"; quantity: "path"; layer: number; unit: number; other: number; example?: number }
  | { phase: "backward"; quantity: "dW"; layer: number; unit: number; other: number; example?: number; mean?: boolean }
  /** `unit: null`: a bias shared by the whole layer */
  | { phase: "backward"; quantity: "db"; layer: number; unit: number | null; example?: number; mean?: boolean }
  | { phase: "update"; quantity: "W"; layer: number; unit: number; other: number }
  | { phase: "update"; quantity: "b"; layer: number; unit: number | null }
  | { phase: "given"; quantity: "input"; unit: number }
  | { phase: "given"; quantity: "weight"; layer: number; unit: number; other: number }
  /** `unit: null`: a bias shared by the whole layer */
  | { phase: "given"; quantity: "bias"; layer: number; unit: number | null }
  | { phase: "given"; quantity: "target"; unit: number }
  | { phase: "given"; quantity: "learningRate" }
  /** a computation graph's node: its value (forward), its gradient (backward), or an input's given value */
  | { phase: "forward" | "backward" | "given"; node: string }
  /** a computation graph's edge, from an operand to the node that uses it as operand number `operand` (x * x has two) */
  | { phase: "edge"; from: string; to: string; operand: number };

export type NetworkStepIdRecord = Exclude<StepIdRecord, { node: string } | { phase: "edge" }>;

/** The step id of a record: `stepId({ phase: "forward", quantity: "z", layer: 1, unit: 0 })` is "forward.z.1.0". */
export function stepId(r: StepIdRecord): string {
  const parts = idParts(r);
  const example = "example" in r && r.example !== undefined ? `example.${r.example}.` : "";
  return example + parts.join(".");
}

function idParts(r: StepIdRecord): (string | number)[] {
  if ("node" in r) return [r.phase, r.node];
  switch (r.phase) {
    case "edge":
      return ["edge", r.from, r.to, r.operand];
    case "loss":
      return "mean" in r ? ["loss", "mean"] : ["loss"];
    case "forward":
      return ["forward", r.quantity, r.layer, r.unit];
    case "given":
      switch (r.quantity) {
        case "input":
        case "target":
          return ["given", r.quantity, r.unit];
        case "weight":
          return ["given", "weight", r.layer, r.unit, r.other];
        case "bias":
          return ["given", "bias", r.layer, ...(r.unit === null ? [] : [r.unit])];
        case "learningRate":
          return ["given", "learningRate"];
      }
    case "update":
      return r.quantity === "W"
        ? ["update", "W", r.layer, r.unit, r.other]
        : ["update", "b", r.layer, ...(r.unit === null ? [] : [r.unit])];
    case "backward": {
      const mean = "mean" in r && r.mean ? ["mean"] : [];
      if (r.quantity === "db") return ["backward", ...mean, "db", r.layer, ...(r.unit === null ? [] : [r.unit])];
      if (r.quantity === "dW") return ["backward", ...mean, "dW", r.layer, r.unit, r.other];
      if (r.quantity === "path") return ["backward", "path", r.layer, r.unit, r.other];
      return ["backward", r.quantity, r.layer, r.unit];
    }
  }
}

const INDEX = /^(0|[1-9]\d*)$/;
const NODE = /^[^.\s]+$/;

/** The record of a step id, or undefined when the text is not one (`parseStepId(stepId(r))` gives r back). */
export function parseStepId(id: string): StepIdRecord | undefined {
  let parts = id.split(".");
  let example: number | undefined;
  if (parts[0] === "example") {
    if (parts.length < 3 || !INDEX.test(parts[1])) return undefined;
    example = Number(parts[1]);
    parts = parts.slice(2);
  }
  const r = parseParts(parts);
  if (!r || example === undefined) return r;
  // only one example's forward pass, loss and backward pass are per example
  if (r.phase === "loss" && !("mean" in r)) return { phase: "loss", example };
  if ((r.phase === "forward" || r.phase === "backward") && !("node" in r) && !("mean" in r && r.mean))
    return { ...r, example };
  return undefined;
}

function parseParts(parts: string[]): StepIdRecord | undefined {
  const [phase, ...rest] = parts;
  const nums = (xs: string[]) => (xs.every((x) => INDEX.test(x)) ? xs.map(Number) : undefined);
  const node = (x: string | undefined) => x !== undefined && NODE.test(x);
  // the one network id with as few parts as a graph's: it reads as the network's learning rate
  if (phase === "given" && rest.length === 1 && rest[0] === "learningRate") return { phase, quantity: "learningRate" };
  if (rest.length === 1 && (phase === "forward" || phase === "backward" || phase === "given") && node(rest[0]))
    return { phase, node: rest[0] };
  if (phase === "edge") {
    const [from, to, operand] = rest;
    return rest.length === 3 && node(from) && node(to) && INDEX.test(operand)
      ? { phase, from, to, operand: Number(operand) }
      : undefined;
  }
  if (phase === "loss")
    return rest.length === 0 ? { phase } : rest.length === 1 && rest[0] === "mean" ? { phase, mean: true } : undefined;
  if (phase === "backward" && rest[0] === "mean" && (rest[1] === "dW" || rest[1] === "db")) {
    // a batch's mean gradients: backward.mean.dW.l.j.k, backward.mean.db.l[.j]
    const r = parseParts(["backward", ...rest.slice(1)]);
    return r && "quantity" in r && (r.quantity === "dW" || r.quantity === "db") ? { ...r, mean: true } : undefined;
  }
  const [quantity, ...tail] = rest;
  const n = nums(tail);
  if (!n) return undefined;
  switch (phase) {
    case "forward":
      return (quantity === "z" || quantity === "a") && n.length === 2
        ? { phase, quantity, layer: n[0], unit: n[1] }
        : undefined;
    case "given":
      if ((quantity === "input" || quantity === "target") && n.length === 1) return { phase, quantity, unit: n[0] };
      if (quantity === "bias" && (n.length === 1 || n.length === 2))
        return { phase, quantity, layer: n[0], unit: n[1] ?? null };
      return quantity === "weight" && n.length === 3
        ? { phase, quantity, layer: n[0], unit: n[1], other: n[2] }
        : undefined;
    case "update":
      if (quantity === "W" && n.length === 3) return { phase, quantity, layer: n[0], unit: n[1], other: n[2] };
      return quantity === "b" && (n.length === 1 || n.length === 2)
        ? { phase, quantity, layer: n[0], unit: n[1] ?? null }
        : undefined;
    case "backward":
      if (quantity === "dL/da" || quantity === "da/dz" || quantity === "delta") {
        return n.length === 2 ? { phase, quantity, layer: n[0], unit: n[1] } : undefined;
      }
      if (quantity === "path" || quantity === "dW")
        return n.length === 3 ? { phase, quantity, layer: n[0], unit: n[1], other: n[2] } : undefined;
      if (quantity === "db")
        return n.length === 1 || n.length === 2 ? { phase, quantity, layer: n[0], unit: n[1] ?? null } : undefined;
      return undefined;
  }
  return undefined;
}

/** The record of a step id, or a TutorError naming where the id came from and what ids look like. */
export function requireStepId(id: string, where: string): StepIdRecord {
  const r = parseStepId(id);
  if (r) return r;
  const hint = 'step ids read like "forward.z.1.0", "backward.dW.2.0.1" or "update.b.1" (docs/trace-format.md)';
  throw new TutorError(where, `"${id}" is not a step id`, hint, "answers");
}
