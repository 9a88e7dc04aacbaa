// Compact tables of a trace: per layer, each unit's z, a and δ; per weight, ∂L/∂w and its update;
// and the exact-versus-rounded comparison that shows where a hand-rounded chain drifts.
import { Decimal } from "decimal.js";
import type { NetworkTrace, Step } from "../engine/trace.js";
import { display, type MimeBundle } from "./display.js";
import { shortValue } from "./step-line.js";
import { tableBundle } from "./table.js";
import { stepId } from "../engine/step-id.js";

const find = (trace: NetworkTrace, id: string): Step | undefined => trace.steps.find((s) => s.id === id);
const shown = (s: Step | undefined, decimals: number) => (s ? shortValue(s.value, decimals) : "");

/** A symbol's letter without its indices, as the trace writes it: z_{h1} → z, -\\delta_{1}^{(2)} → -\\delta, in_{3} → in. */
const letter = (s: Step | undefined, fallback: string) => (s ? s.symbol.split(/[_^]/)[0] : fallback);

/** The headers' symbols in the trace's own notation, so a table says E_total where the derivation does. */
function headerSymbols(trace: NetworkTrace): { z: string; delta: string; loss: string; cost: string } {
  const first = (pred: (s: Step) => boolean) => trace.steps.find(pred);
  // the loss's symbol has no indices to strip (E_{total}, \\mathcal{L}, J)
  const loss = first((s) => s.quantity === "loss" && !s.id.endsWith("mean"))?.symbol ?? "L";
  return {
    z: letter(
      first((s) => s.quantity === "z"),
      "z",
    ),
    delta: letter(
      first((s) => s.quantity === "delta"),
      "\\delta",
    ),
    loss,
    // a batch's gradients are of the cost, the mean of the losses
    cost: first((s) => s.id === "loss.mean") ? "J" : loss,
  };
}

/** One table per computing layer (z, a, δ by unit) and one of weights (∂L/∂w and the update). */
export function traceTablesBundles(trace: NetworkTrace, decimals = 6): MimeBundle[] {
  const sym = headerSymbols(trace);
  const layers = [...new Set(trace.steps.filter((s) => s.phase === "forward").map((s) => s.layer!))].sort(
    (a, b) => a - b,
  );
  const out: MimeBundle[] = [];
  for (const l of layers) {
    const units = trace.forward.a[l].map((_, j) => j);
    const steps = units.map(
      (unit) =>
        [
          find(trace, stepId({ phase: "forward", quantity: "z", layer: l, unit })),
          find(trace, stepId({ phase: "forward", quantity: "a", layer: l, unit })),
          find(trace, stepId({ phase: "backward", quantity: "delta", layer: l, unit })),
        ] as const,
    );
    const rows = steps.map(([z, a, d], j) => [
      a ? a.symbol : `a_{${j}}`,
      shown(z, decimals),
      shown(a, decimals),
      d ? shown(d, decimals) : "",
    ]);
    const plain = steps.map(([z, a, d], j) => [
      z ? z.key.replace(/^z_?/, "") : String(j),
      z?.value ?? "",
      a?.value ?? "",
      d?.value ?? "",
    ]);
    out.push(
      tableBundle(
        ["\\text{unit}", sym.z, letter(steps[0][1], "a"), `${sym.delta} = \\partial ${sym.loss}/\\partial ${sym.z}`],
        rows,
        {
          caption: `Layer ${l}`,
          math: true,
          mathHeaders: true,
          plain: { headers: ["unit", "z", "a", "delta"], rows: plain },
        },
      ),
    );
  }
  const weights = trace.steps.filter((s) => s.quantity === "dW" && s.example === undefined);
  if (weights.length) {
    const pairs = weights.map(
      (g) =>
        [
          g,
          find(trace, stepId({ phase: "update", quantity: "W", layer: g.layer!, unit: g.unit!, other: g.other! })),
        ] as const,
    );
    out.push(gradientUpdateTable(pairs, "w", sym.cost, "Weights: gradient and update", "", decimals));
  }
  const biases = trace.steps.filter((s) => s.quantity === "db" && s.example === undefined);
  if (biases.length) {
    const pairs = biases.map(
      (g) => [g, trace.steps.find((s) => s.quantity === "b+" && s.layer === g.layer && s.unit === g.unit)] as const,
    );
    out.push(gradientUpdateTable(pairs, "b", sym.cost, "Biases: gradient and update", "(not updated)", decimals));
  }
  return out;
}

/** One parameter kind's table: each gradient beside the updated value (or `missing` where there is none). */
function gradientUpdateTable(
  pairs: readonly (readonly [Step, Step | undefined])[],
  param: "w" | "b",
  cost: string,
  caption: string,
  missing: string,
  decimals: number,
): MimeBundle {
  const missingTex = missing ? `\\text{${missing}}` : "";
  const rows = pairs.map(([g, upd]) => [
    g.symbol,
    shown(g, decimals),
    upd ? upd.symbol : missingTex,
    shown(upd, decimals),
  ]);
  const plain = pairs.map(([g, upd]) => [g.key, g.value, upd?.key ?? missing, upd?.value ?? ""]);
  return tableBundle([`\\partial ${cost}/\\partial ${param}`, "\\text{value}", `${param}^{+}`, "\\text{value}"], rows, {
    caption,
    math: true,
    mathHeaders: true,
    plain: { headers: ["gradient", "value", "updated", "value"], rows: plain },
  });
}

export function showTraceTables(trace: NetworkTrace, decimals = 6): void {
  for (const b of traceTablesBundles(trace, decimals)) display(b);
}

export interface DriftRow {
  id: string;
  key: string;
  symbol: string;
  exact: string;
  rounded: string;
  /** |rounded − exact| */
  drift: string;
  /** drift beyond rounding this value's own last digit: earlier rounding has moved it */
  drifted: boolean;
}

/** Each quantity in both traces: how far the hand-rounded chain is from the exact value. */
export function compareTraces(exact: NetworkTrace, rounded: NetworkTrace): DriftRow[] {
  const places = /^dp:(\d+)$/.exec(rounded.precision);
  const half = new Decimal(10).pow(-(places ? Number(places[1]) : 4)).div(2);
  return rounded.steps.flatMap((r) => {
    const e = exact.steps.find((s) => s.id === r.id);
    if (!e) return [];
    const drift = new Decimal(r.value).minus(e.value).abs();
    return [
      {
        id: r.id,
        key: r.key,
        symbol: r.symbol,
        exact: e.value,
        rounded: r.value,
        drift: drift.toSignificantDigits(3).toString(),
        drifted: drift.gt(half),
      },
    ];
  });
}

/** Exact and rounded side by side; rows where the rounded chain has drifted are highlighted. */
export function comparisonBundle(exact: NetworkTrace, rounded: NetworkTrace): MimeBundle {
  const rows = compareTraces(exact, rounded);
  const highlight = new Map<number, string>();
  rows.forEach((r, i) => {
    if (r.drifted) highlight.set(i, "#fff3cd");
  });
  const drifted = rows.filter((r) => r.drifted);
  const caption =
    `Exact vs ${rounded.precision}: ${drifted.length} of ${rows.length} values drift beyond the rounding of their own last digit` +
    (drifted.length
      ? ` (largest: ${drifted.reduce((a, b) => (new Decimal(b.drift).gt(a.drift) ? b : a)).key}, by ${drifted.reduce((a, b) => (new Decimal(b.drift).gt(a.drift) ? b : a)).drift})`
      : "");
  return tableBundle(
    ["\\text{quantity}", "\\text{exact}", `\\text{${rounded.precision}}`, "|\\text{drift}|"],
    rows.map((r) => [r.symbol, shortValue(r.exact, 8), r.rounded, r.drift === "0" ? "0" : r.drift]),
    { caption, math: true, mathHeaders: true, highlight, align: ["l", "r", "r", "r"] },
  );
}

export function showComparison(exact: NetworkTrace, rounded: NetworkTrace): void {
  display(comparisonBundle(exact, rounded));
}
