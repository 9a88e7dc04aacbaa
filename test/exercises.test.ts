// Exercises without a kernel: variants (reproducible, distinct, in range), authoring (solution
// regions, hidden tests), roster and command errors, the graph question, and grading of the
// submissions that are never run (unknown student, invalid JSON, missing file), including
// resumability: skip, --force, and grades.csv never silently overwritten.
import { describe, expect, it } from "vitest";
import { scratchDir } from "./helpers/scratch.js";
import { GRADES_HEADER } from "./helpers/assign.js";
import { readFileSync, writeFileSync, mkdirSync, readdirSync, existsSync, statSync } from "node:fs";
import { join } from "node:path";
import { traceNetwork } from "../src/index.js";
import {
  alwaysEqualGradients,
  drawVariant,
  networkProblem,
  graphProblem,
  Z_MAX,
  MIN_GRADIENT,
} from "../src/exercises/variant.js";
import { CLASSIC, parseDeclaration } from "../src/exercises/declaration.js";
import { askedOf, type VariantParams } from "../src/exercises/variant.js";
import { Decimal } from "decimal.js";
import { feedbackHtml } from "../src/exercises/feedback.js";
import { traceGraph } from "../src/exercises/graph.js";
import { parseRoster } from "../src/exercises/roster.js";
import { stripSolutions } from "../src/exercises/source.js";
import { metaOf, sourceOf, type Notebook } from "../src/exercises/notebook.js";
import { runCli } from "../src/cli/program.js";
import { checkGraphPart, checkNetworkPart, CREDITED } from "../src/exercises/checking.js";

const EX = new URL("../exercises/backprop-1/", import.meta.url).pathname;
const SOURCE = join(EX, "source.ipynb"),
  ROSTER = join(EX, "roster.csv");
const tmp = () => scratchDir("bt-ex-");
/** The example assignment given to the example roster (secret "x"), with an empty submissions folder. */
async function assignedClass(): Promise<{ out: string; subs: string }> {
  const out = tmp();
  expect((await runCli(["assign", SOURCE, "--roster", ROSTER, "--out", out, "--secret", "x"])).code).toBe(0);
  const subs = join(out, "submissions");
  mkdirSync(subs);
  return { out, subs };
}

describe("variants", () => {
  it("are reproducible from roster and secret, and differ between students and secrets", () => {
    const a1 = drawVariant("secret-1", "backprop-1", "ada"),
      a2 = drawVariant("secret-1", "backprop-1", "ada");
    expect(a2).toEqual(a1);
    expect(drawVariant("secret-1", "backprop-1", "alan").network!.weights).not.toEqual(a1.network!.weights);
    expect(drawVariant("secret-2", "backprop-1", "ada").network!.weights).not.toEqual(a1.network!.weights);
  });

  it("avoid saturated sigmoids and gradients that vanish at 4 dp, for many students", () => {
    for (let i = 0; i < 40; i++) {
      const v = drawVariant("range-check", "backprop-1", `s${i}`);
      expect(networkProblem(v.network!)).toBeNull();
      const t = traceNetwork(v.network, { precision: "exact" });
      for (const layer of t.forward.z)
        for (const z of layer ?? []) expect(Math.abs(Number(z))).toBeLessThanOrEqual(Z_MAX);
      for (const M of t.backward.dW)
        for (const row of M) for (const g of row) expect(Math.abs(Number(g))).toBeGreaterThanOrEqual(MIN_GRADIENT);
      const g = traceGraph(v.graph!);
      expect(g.nodes.every((n) => !n.value.isZero() && !n.grad.isZero())).toBe(true);
    }
  });

  it("assign writes identical notebooks and keys for the same roster and secret", async () => {
    const [o1, o2] = [tmp(), tmp()];
    for (const o of [o1, o2])
      expect((await runCli(["assign", SOURCE, "--roster", ROSTER, "--out", o, "--secret", "same"])).code).toBe(0);
    for (const id of ["ada", "alan", "grace"])
      expect(readFileSync(join(o1, "release", id, "backprop-1.ipynb"), "utf8")).toBe(
        readFileSync(join(o2, "release", id, "backprop-1.ipynb"), "utf8"),
      );
    const k1 = JSON.parse(readFileSync(join(o1, "key", "key.json"), "utf8")),
      k2 = JSON.parse(readFileSync(join(o2, "key", "key.json"), "utf8"));
    expect(k1.students).toEqual(k2.students);
    expect(k1.students[0].answers["z_h1"]).not.toBe(k1.students[1].answers["z_h1"]);
  });
});

describe("authoring", () => {
  it("replaces solution regions by the stub, keeping the indentation", () => {
    const src = "function f() {\n  // BEGIN SOLUTION\n  return 1;\n  // END SOLUTION\n}";
    expect(stripSolutions(src, "return NaN;", "c")).toBe("function f() {\n  return NaN;\n}");
    expect(() => stripSolutions("// BEGIN SOLUTION\nx", "", "cell 3")).toThrow(
      /cell 3: has \/\/ BEGIN SOLUTION without/,
    );
  });

  it("releases a student notebook without solutions or hidden tests, with the student's own params", async () => {
    const out = tmp();
    await runCli(["assign", SOURCE, "--roster", ROSTER, "--out", out, "--secret", "x"]);
    const nb = JSON.parse(readFileSync(join(out, "release", "ada", "backprop-1.ipynb"), "utf8")) as Notebook;
    const all = nb.cells.map(sourceOf).join("\n");
    expect(all).not.toContain("BEGIN SOLUTION");
    expect(all).not.toContain('"0.3775"'); // the teacher's solution values
    expect(nb.cells.filter((c) => metaOf(c)?.kind === "test").map((c) => metaOf(c)?.id)).toEqual([
      "forward",
      "output",
      "graph",
    ]);
    const key = JSON.parse(readFileSync(join(out, "key", "key.json"), "utf8"));
    expect(all).toContain(JSON.stringify(key.students[0].params.network.input).replace(",", ", "));
    expect(key.tests.find((t: { id: string }) => t.id === "hidden").hidden).toBe(true);
  });
});

describe("the graph question", () => {
  it("gives the textbook values for (x + y) z at x = -2, y = 5, z = -4", () => {
    const t = traceGraph({ assignments: ["q = x + y", "f = q * z"], values: { x: -2, y: 5, z: -4 } });
    const by = Object.fromEntries(t.nodes.map((n) => [n.name, [n.value.toString(), n.grad.toString()]]));
    expect(by).toEqual({ x: ["-2", "-4"], y: ["5", "-4"], z: ["-4", "3"], q: ["3", "-4"], f: ["-12", "1"] });
  });
});

describe("checking a network part", () => {
  it("names a classic mistake and marks missing and non-numbers", () => {
    const v = drawVariant("k", "backprop-1", "ada").network!;
    const t = traceNetwork(v, { precision: "dp:4" });
    const val = (k: string) => t.steps.find((s) => s.key === k)!.value;
    const wrongW5 = (Number(val("w5+")) + 2 * v.learningRate * Number(val("dE/dw5"))).toFixed(4);
    const r = checkNetworkPart(v, { "dE/dw5": val("dE/dw5"), "w5+": wrongW5, z_h1: "abc" }, [
      "dE/dw5",
      "w5+",
      "z_h1",
      "a_h1",
    ]);
    expect(CREDITED.has(r.byKey.get("dE/dw5")!.verdict)).toBe(true);
    expect(r.byKey.get("w5+")?.mistake).toMatch(/^added-gradient/);
    expect(r.byKey.get("z_h1")?.verdict).toBe("invalid");
    expect(r.byKey.get("a_h1")?.verdict).toBe("missing");
  });
});

describe("command errors", () => {
  it("missing roster, roster without id column, missing key: exit 1 with a clear message; a missing option: exit 2", async () => {
    const out = tmp();
    const missing = await runCli(["assign", SOURCE, "--roster", join(out, "nope.csv"), "--out", out]);
    expect(missing.code).toBe(1);
    expect(missing.stderr).toMatch(/cannot read the roster \(missing file\)/);
    writeFileSync(join(out, "r.csv"), "name,email\nAda,a@x\n");
    const noId = await runCli(["assign", SOURCE, "--roster", join(out, "r.csv"), "--out", out]);
    expect(noId.code).toBe(1);
    expect(noId.stderr).toMatch(/no id column/);
    expect(() => parseRoster("id\nada\nada\n", "r")).toThrow(/appears twice/);
    const noKey = await runCli(["grade", out, "--key", join(out, "key.json"), "--out", join(out, "g")]);
    expect(noKey.code).toBe(1);
    expect(noKey.stderr).toMatch(/cannot read the answer key/);
    expect(
      (await runCli(["grade", join(out, "none"), "--key", join(out, "key.json"), "--out", join(out, "g")])).code,
    ).toBe(1);
    expect(await runCli(["assign", SOURCE])).toMatchObject({
      code: 2,
      stderr: "backprop-tutor: assign: --roster is required. add --roster roster.csv.\n",
    });
  });
});

describe("grading submissions that are never run", () => {
  it("unknown student, invalid JSON and missing files get 0 with a reason; re-runs skip, --force re-grades, grades.csv history is kept", async () => {
    const { out, subs } = await assignedClass();
    writeFileSync(join(subs, "ada.ipynb"), "{ not json");
    writeFileSync(join(subs, "mallory.ipynb"), readFileSync(join(out, "release", "ada", "backprop-1.ipynb")));
    mkdirSync(join(subs, "grace"));
    const args = [subs, "--key", join(out, "key", "key.json"), "--out", join(out, "graded"), "--jobs", "2", "--quiet"];
    const first = await runCli(["grade", ...args]);
    expect(first.code).toBe(0);
    const csv = readFileSync(join(out, "graded", "grades.csv"), "utf8");
    expect(csv.trim().split("\n")).toEqual([
      GRADES_HEADER,
      "ada,0,0,0,0,0,12,notebook is not valid JSON",
      "alan,0,0,0,0,0,12,no submission (missing file)",
      "grace,0,0,0,0,0,12,no notebook in grace/",
      "mallory,0,0,0,0,0,12,not on the roster: no student mallory in the key (check the file or folder name)",
    ]);
    const fb = readFileSync(join(out, "graded", "ada", "feedback.html"), "utf8");
    expect(fb).toContain("notebook is not valid JSON");
    // no worked solution before a notebook has run: a late submission could copy it
    expect(fb).not.toContain("Worked solution");
    expect(fb).toContain("The worked solution for your numbers is shown once a notebook of yours has been graded.");

    // second run: everything is skipped, nothing changes
    const second = await runCli(["grade", ...args]);
    expect(second.stdout).toMatch(/graded 0, skipped 4/);
    expect(readFileSync(join(out, "graded", "grades.csv"), "utf8")).toBe(csv);
    // a changed submission is not re-graded silently: exit 1 and a message
    writeFileSync(join(subs, "ada.ipynb"), "{ still not json ");
    const stale = await runCli(["grade", ...args]);
    expect(stale.code).toBe(1);
    expect(stale.stderr).toContain(
      "ada: the submission changed since it was graded; not re-graded (use --regrade ada).",
    );
    // the teacher edits grades.csv; --force re-grades and keeps both the old results and the old CSV
    writeFileSync(join(out, "graded", "grades.csv"), csv.replace("ada,0,0,0,0,0,12", "ada,1,0,0,0,1,12"));
    const forced = await runCli(["grade", ...args, "--force"]);
    expect(forced.stdout).toMatch(/graded 4, skipped 0/);
    const history = join(out, "graded", "history");
    const kept = readdirSync(history);
    expect(
      kept.some((f) => f.startsWith("grades-") && readFileSync(join(history, f), "utf8").includes("ada,1,0,0,0,1,12")),
    ).toBe(true);
    expect(kept.some((f) => existsSync(join(history, f, "ada", "result.json")))).toBe(true);
    expect(readFileSync(join(out, "graded", "grades.csv"), "utf8")).toBe(csv);
  });
});

describe("variants without repeated numbers", () => {
  it("no two of the given numbers are equal (weights, biases, inputs; x, y, z, q) over 120 students, with the old guarantees kept", () => {
    for (let i = 0; i < 120; i++) {
      const v = drawVariant("walkthrough", "backprop-1", `s${i}`);
      const n = v.network!;
      const given = [...n.weights.flat(2), ...n.biases, ...n.input];
      expect(new Set(given).size, `s${i}: ${JSON.stringify(given)}`).toBe(12);
      const { x, y, z } = v.graph!.values;
      expect(new Set([x, y, z, x + y]).size, `s${i}: x=${x} y=${y} z=${z}`).toBe(4);
      expect(networkProblem(n)).toBeNull();
      expect(graphProblem(v.graph!, new Map(), 4, alwaysEqualGradients(CLASSIC.graph!))).toBeNull();
      const t = traceNetwork(n, { precision: "exact" });
      for (const layer of t.forward.z)
        for (const zz of layer ?? []) expect(Math.abs(Number(zz))).toBeLessThanOrEqual(Z_MAX);
      for (const M of t.backward.dW)
        for (const row of M) for (const g of row) expect(Math.abs(Number(g))).toBeGreaterThanOrEqual(MIN_GRADIENT);
      for (const s of traceNetwork(n, { precision: "dp:4" }).steps)
        if (s.quantity === "dW") expect(Number(s.value), `s${i} ${s.key}`).not.toBe(0);
    }
    // the walkthrough's ada once had x = y = z = 6
    const { x, y, z } = drawVariant("walkthrough", "backprop-1", "ada").graph!.values;
    expect(new Set([x, y, z, x + y]).size).toBe(4);
    // df/dq = df/dx = df/dy = z in every draw of q = x + y: that pair is not held against a draw
    expect([...alwaysEqualGradients(CLASSIC.graph!)].sort()).toEqual(["df/dq|df/dx", "df/dq|df/dy", "df/dx|df/dy"]);
    expect(graphProblem({ assignments: ["q = x + y", "f = q * z"], values: { x: 1, y: 2, z: 3 } })).toBe(
      "z and q are both 3",
    );
    const twice = {
      ...drawVariant("k", "backprop-1", "ada").network!,
      weights: [
        [
          [0.35, 0.2],
          [0.25, 0.3],
        ],
        [
          [0.4, 0.45],
          [0.5, 0.35],
        ],
      ],
    };
    expect(networkProblem(twice)).toBe("w1 and w8 are both 0.35");
  });
});

describe("assign into a folder that already has a key", () => {
  it("refuses a new or different secret unless --force, reproduces with the same one, and keeps the replaced key", async () => {
    const out = tmp();
    const first = await runCli(["assign", SOURCE, "--roster", ROSTER, "--out", out]);
    expect(first.code).toBe(0);
    const key = readFileSync(join(out, "key", "key.json"), "utf8"),
      secret = readFileSync(join(out, "key", "secret.txt"), "utf8").trim();
    expect(statSync(join(out, "key")).mode & 0o777).toBe(0o700);
    expect(statSync(join(out, "key", "key.json")).mode & 0o777).toBe(0o600);
    const again = await runCli(["assign", SOURCE, "--roster", ROSTER, "--out", out]);
    expect(again.code).toBe(1);
    expect(again.stderr).toBe(
      `backprop-tutor: ${out}: not replacing the answer key: ${join(out, "key", "key.json")} exists; without --secret a new secret would give every student new numbers. students may already have these notebooks: to reproduce the release pass --secret-file ${join(out, "key", "secret.txt")}, use another --out, or pass --force to replace it (the old key is kept).\n`,
    );
    const other = await runCli(["assign", SOURCE, "--roster", ROSTER, "--out", out, "--secret", "another"]);
    expect(other.code).toBe(1);
    expect(other.stderr).toContain("was made with a different secret; every student would get new numbers");
    expect(readFileSync(join(out, "key", "key.json"), "utf8")).toBe(key);
    // the same secret reproduces the release: allowed, nothing changes
    expect(
      (
        await runCli([
          "assign",
          SOURCE,
          "--roster",
          ROSTER,
          "--out",
          out,
          "--secret-file",
          join(out, "key", "secret.txt"),
        ])
      ).code,
    ).toBe(0);
    expect(readFileSync(join(out, "key", "key.json"), "utf8")).toBe(key);
    // a roster without alan would drop him from the key
    writeFileSync(join(out, "two.csv"), "id\nada\ngrace\n");
    const fewer = await runCli(["assign", SOURCE, "--roster", join(out, "two.csv"), "--out", out, "--secret", secret]);
    expect(fewer.stderr).toContain("has students the roster no longer lists (alan)");
    const forced = await runCli(["assign", SOURCE, "--roster", ROSTER, "--out", out, "--secret", "another", "--force"]);
    expect(forced.code).toBe(0);
    const replaced = readdirSync(join(out, "key")).filter((f) => f.startsWith("replaced-"));
    expect(replaced.length).toBe(1);
    expect(readFileSync(join(out, "key", replaced[0], "key.json"), "utf8")).toBe(key);
    expect(readFileSync(join(out, "key", replaced[0], "secret.txt"), "utf8").trim()).toBe(secret);
    expect(existsSync(join(out, "key", "secret.txt"))).toBe(false);
  });
});

describe("late submissions, per-student re-grading and files that match no student", () => {
  it("grades a late submission without --force, re-grades only --regrade's students, and reports every unmatched file", async () => {
    const { out, subs } = await assignedClass();
    writeFileSync(join(subs, "ada.ipynb"), "{ not json");
    const args = [subs, "--key", join(out, "key", "key.json"), "--out", join(out, "graded"), "--quiet"];
    expect((await runCli(["grade", ...args])).code).toBe(0);
    // alan hands in late; ada changes hers; a browser duplicate and a stray file appear
    writeFileSync(join(subs, "alan.ipynb"), "{ late but not json");
    writeFileSync(join(subs, "ada.ipynb"), "{ changed");
    writeFileSync(join(subs, "ada (1).ipynb"), "{}");
    writeFileSync(join(subs, "loop (1).ipynb"), "{}");
    writeFileSync(join(subs, "notes.txt"), "hi");
    const late = await runCli(["grade", ...args]);
    expect(late.stdout).toMatch(/^graded 1, skipped 2 /);
    expect(late.code).toBe(1); // ada changed and was not re-graded
    expect(late.stderr.split("\n")).toEqual(
      expect.arrayContaining([
        "ada (1).ipynb: not graded: the name matches no student; if it is ada's, rename it to ada.ipynb (or put it in ada/)",
        "loop (1).ipynb: not graded: the name matches no student",
        "notes.txt: not graded: the name is not a notebook (.ipynb) and matches no student",
        "ada: the submission changed since it was graded; not re-graded (use --regrade ada).",
      ]),
    );
    const rows = () =>
      readFileSync(join(out, "graded", "grades.csv"), "utf8")
        .trim()
        .split("\n");
    expect(rows()).toEqual([
      GRADES_HEADER,
      "ada,0,0,0,0,0,12,notebook is not valid JSON",
      "alan,0,0,0,0,0,12,notebook is not valid JSON",
      "grace,0,0,0,0,0,12,no submission (missing file)",
      `ada (1).ipynb,0,0,0,0,0,12,"not graded: the name matches no student; if it is ada's, rename it to ada.ipynb (or put it in ada/)"`,
      "loop (1).ipynb,0,0,0,0,0,12,not graded: the name matches no student",
      "notes.txt,0,0,0,0,0,12,not graded: the name is not a notebook (.ipynb) and matches no student",
    ]);
    const before = readFileSync(join(out, "graded", "alan", "result.json"), "utf8");
    const only = await runCli(["grade", ...args, "--regrade", "ada"]);
    expect(only.code).toBe(0);
    expect(only.stdout).toMatch(/^graded 1, skipped 2 /);
    expect(readFileSync(join(out, "graded", "alan", "result.json"), "utf8")).toBe(before);
    expect(
      readdirSync(join(out, "graded", "history")).some((d) =>
        existsSync(join(out, "graded", "history", d, "ada", "result.json")),
      ),
    ).toBe(true);
    expect(await runCli(["grade", ...args, "--regrade", "ada,bob"])).toMatchObject({
      code: 2,
      stderr: "backprop-tutor: --regrade: bob is not on the roster of the key. use roster ids, e.g. --regrade ada.\n",
    });
  });
});

// ---------------------------------------------------------------------------------------------
// assignments declared in assignment.json: the teacher's own problem

const EXAMPLES = new URL("../exercises/", import.meta.url).pathname;
type Key = {
  tests: { id: string; part: "network" | "graph"; points: number; quantities: string[] }[];
  students: { id: string; params: VariantParams; answers: Record<string, string> }[];
};

/** assign an example folder to the example roster; its key. */
async function assignFolder(name: string, secret = "k"): Promise<{ out: string; key: Key }> {
  const out = tmp();
  const r = await runCli(["assign", join(EXAMPLES, name), "--roster", ROSTER, "--out", out, "--secret", secret]);
  expect(r.code, r.stderr).toBe(0);
  return { out, key: JSON.parse(readFileSync(join(out, "key", "key.json"), "utf8")) as Key };
}

/** Points per test as grade scores them: each part checked once over all its quantities, credited verdicts earn a share. */
function scoreAnswers(
  key: Key,
  student: Key["students"][number],
  answers: Record<string, string>,
): Map<string, number> {
  const of = (part: string) => key.tests.filter((t) => t.part === part).flatMap((t) => t.quantities);
  const parts = {
    network: student.params.network && checkNetworkPart(student.params.network, answers, of("network"), of("graph")),
    graph: student.params.graph && checkGraphPart(student.params.graph, answers, of("graph")),
  };
  return new Map(
    key.tests.map((t) => {
      const credited = t.quantities.filter((q) => CREDITED.has(parts[t.part]!.byKey.get(q)!.verdict)).length;
      return [t.id, (t.points * credited) / t.quantities.length];
    }),
  );
}

/**
 * A slip: a whole number off by 1 (the exact inputs leave no rounding to allow for), a decimal by
 * 3 units of its last place (0.0003 at 4 dp). One unit is not a slip at 4 dp: it is often what
 * rounding every earlier value gives (classic dE/da_h1 0.0271 for the exact 0.02704429), or within
 * what rounding a step's inputs can move it (sigmoid-graph dL/dx, up to 0.00019), and the checker
 * rightly calls it rounding.
 */
function slipped(v: string): string {
  const places = v.includes(".") ? v.split(".")[1].length : 0;
  return new Decimal(v).add(places ? new Decimal(3).times(new Decimal(10).pow(-places)) : 1).toFixed(places);
}

describe("assignments declared in assignment.json", () => {
  it.each(["classic", "tanh-softmax", "sigmoid-graph"])(
    "%s: the teacher's key as every student's answers gets full marks; a planted slip costs exactly its own marks",
    async (name) => {
      const { key } = await assignFolder(name);
      const all = key.tests.flatMap((t) => t.quantities.map((q) => [t, q] as const));
      key.students.forEach((s, i) => {
        for (const [test, points] of scoreAnswers(key, s, s.answers))
          expect(points, `${name} ${s.id} ${test}`).toBe(key.tests.find((t) => t.id === test)!.points);
        // slips in several quantities, each alone: a decimal one, and the output's (a whole number in the classic graph)
        const output = all.filter(
          ([t]) => t.part === (key.tests.some((t) => t.part === "graph") ? "graph" : "network"),
        );
        for (const [test, q] of [all[(i * 5 + 1) % all.length], output[(i * 2 + 1) % output.length]]) {
          const scores = scoreAnswers(key, s, { ...s.answers, [q]: slipped(s.answers[q]) });
          for (const t of key.tests)
            expect(scores.get(t.id), `${name} ${s.id}: slip in ${q}`).toBeCloseTo(
              t.id === test.id ? t.points - t.points / t.quantities.length : t.points,
              9,
            );
        }
      });
    },
    60_000,
  );

  it("states the declared problem in the released notebook: the tanh/softmax network's prose and numbers agree", async () => {
    const { out, key } = await assignFolder("tanh-softmax");
    const nb = JSON.parse(readFileSync(join(out, "release", "ada", "tanh-softmax.ipynb"), "utf8")) as Notebook;
    const prose = nb.cells
      .filter((c) => c.cell_type === "markdown")
      .map(sourceOf)
      .join("\n");
    expect(prose).toContain("A 2-3-2 network");
    expect(prose).toContain("3 tanh units");
    expect(prose).toContain("2 softmax units");
    expect(prose).toContain("categorical cross-entropy");
    expect(prose).toContain("$w_{7}$: $h_{1} \\to o_{1}$");
    expect(prose).not.toMatch(/sigmoid|q = x \+ y/);
    const params = key.students[0].params.network!;
    expect(params.layers).toEqual([2, 3, 2]);
    expect(params.activations).toEqual(["tanh", "softmax"]);
    expect(params.target.slice().sort()).toEqual([0, 1]);
    expect(key.students[0].params.graph).toBeUndefined();
    const graphNb = JSON.parse(
      readFileSync(join((await assignFolder("sigmoid-graph")).out, "release", "ada", "sigmoid-graph.ipynb"), "utf8"),
    ) as Notebook;
    const graphProse = graphNb.cells.map(sourceOf).join("\n");
    expect(graphProse).toContain("    s = w*x + b\n    p = sigmoid(s)\n    L = (p - t)^2");
    expect(graphProse).not.toMatch(/params\.network|2-2-2/);
  });

  it("refuses a question naming a quantity the problem does not have, with the keys it has", async () => {
    const dir = tmp();
    const decl = JSON.parse(readFileSync(join(EXAMPLES, "tanh-softmax", "assignment.json"), "utf8"));
    decl.questions[0].quantities.push("z_h4");
    writeFileSync(join(dir, "assignment.json"), JSON.stringify(decl));
    const r = await runCli(["assign", dir, "--roster", ROSTER, "--out", join(dir, "out"), "--secret", "k"]);
    expect(r.code).toBe(1);
    expect(r.stderr).toContain('question "forward": asks for z_h4, which the network does not have (did you mean');
    expect(r.stderr).toContain("its keys are: z_h1, a_h1, z_h2, a_h2, z_h3, a_h3, z_o1, z_o2, a_o1, a_o2, E_total,");
    decl.questions[0].quantities.pop();
    decl.questions.push({ id: "g", part: "graph", points: 1, quantities: ["q"] });
    writeFileSync(join(dir, "assignment.json"), JSON.stringify(decl));
    const noGraph = await runCli(["assign", dir, "--roster", ROSTER, "--out", join(dir, "out"), "--secret", "k"]);
    expect(noGraph.stderr).toContain(
      'question "g": asks about the graph, which the assignment does not declare. add "graph" to the assignment',
    );
    // a source notebook of one's own gets the classic problem, and assign says so instead of staying silent
    const legacy = await runCli(["assign", SOURCE, "--roster", ROSTER, "--out", join(dir, "legacy"), "--secret", "k"]);
    expect(legacy.code).toBe(0);
    expect(legacy.stderr).toBe(
      `note: ${SOURCE} declares no problem of its own: every student gets the classic 2-2-2 sigmoid network and q = x + y, f = q·z, whatever its prose says (an assignment.json declares your own; see docs/exercises.md)\n`,
    );
  });

  it("keeps slips visible in every variant: distinct numbers and units, no saturation, no ties; redraws what cannot", () => {
    const decl = JSON.parse(readFileSync(join(EXAMPLES, "tanh-softmax", "assignment.json"), "utf8"));
    const problem = parseDeclaration(decl, "tanh-softmax");
    const asked = askedOf(problem, "network");
    for (let i = 0; i < 25; i++) {
      const n = drawVariant("slips", "tanh-softmax", `s${i}`, problem).network!;
      const given = [...n.weights.flat(2), ...(n.biases as number[][]).flat(), ...n.input];
      expect(new Set(given).size, `s${i}`).toBe(given.length);
      expect(given).not.toContain(0);
      const exact = traceNetwork(n, { precision: "exact" });
      for (const z of exact.forward.z[1]!) expect(Math.abs(Number(z))).toBeLessThanOrEqual(2);
      for (const a of exact.forward.a[2]) expect(Number(a)).toBeGreaterThanOrEqual(0.02);
      const chain = traceNetwork(n, { precision: "dp:4" }).steps;
      for (const [layer, q] of [
        ["1", "z"],
        ["1", "a"],
        ["2", "a"],
        ["1", "delta"],
      ]) {
        const vs = chain.filter((s) => s.id.startsWith(`${q === "delta" ? "backward" : "forward"}.${q}.${layer}.`));
        expect(new Set(vs.map((s) => s.value)).size, `s${i} ${q} layer ${layer}`).toBe(vs.length);
      }
      for (const s of exact.steps)
        if (asked.has(s.key)) {
          const scaled = new Decimal(s.value).abs().times(10_000);
          expect(scaled.minus(scaled.floor()).minus(0.5).abs().toNumber(), `${s.key} on a tie`).toBeGreaterThan(0.01);
        }
    }
    const graph = parseDeclaration(
      JSON.parse(readFileSync(join(EXAMPLES, "sigmoid-graph", "assignment.json"), "utf8")),
      "g",
    );
    for (let i = 0; i < 25; i++) {
      const g = drawVariant("slips", "sigmoid-graph", `s${i}`, graph).graph!;
      const { w, x, b } = g.values;
      expect(Math.abs(w * x + b)).toBeLessThanOrEqual(Z_MAX);
      // dL/dw = dL/ds·x, dL/dx = dL/ds·w, dL/db = dL/ds: mixing them up shows unless x = 1, w = 1 or x = w
      expect(new Set([x, w, 1]).size, JSON.stringify(g.values)).toBe(3);
    }
    // a draw that cannot be met is refused with the reason, not handed out
    const narrow = parseDeclaration(
      {
        ...decl,
        network: { ...decl.network, draw: { ...decl.network.draw, weights: { from: 0.5, to: 0.55, step: 0.05 } } },
      },
      "n",
    );
    expect(() => drawVariant("k", "n", "ada", narrow)).toThrow(
      /no usable variant in 2000 draws \(the last: w\d+ and w\d+ are both 0\.5/,
    );
  });

  it("names a decimal comma instead of calling the answers missing", () => {
    const v = drawVariant("k", "backprop-1", "ada").network!;
    const z = traceNetwork(v, { precision: "dp:4" }).steps.find((s) => s.key === "z_h1")!.value;
    const r = checkNetworkPart(v, { z_h1: z.replace(".", ",") }, ["z_h1"]);
    expect(r.byKey.get("z_h1")).toMatchObject({
      verdict: "invalid",
      explanation: `"${z.replace(".", ",")}" has a decimal comma: write decimals with a point, "${z}"`,
    });
    expect(r.html).not.toContain("No network answers were given");
    expect(r.html).toContain("Write decimals with a point (0.0190), not a comma (0,0190).");
    // and the feedback page's "what lost points" says it too
    const page = feedbackHtml(
      {
        student: "ada",
        onRoster: true,
        submission: "ada.ipynb",
        submissionHash: null,
        assignment: "a",
        gradedAt: "",
        total: 0,
        max: 1,
        notes: [],
        seconds: 0,
        ran: false,
        tests: [{ id: "forward", points: 0, max: 1, hidden: false, quantities: [r.byKey.get("z_h1")!] }],
      },
      undefined,
      {},
    );
    expect(page).toContain(
      `z_h1: invalid (&quot;${z.replace(".", ",")}&quot; has a decimal comma: write decimals with a point`,
    );
  });
});
