// The teacher's side of checking: `check` in a terminal prints plain readable symbols, Markdown
// when piped, JSON on request; each command's help lists its exit codes; a notebook checks an
// answers file with one call, checkAnswersFile(spec, "answers.csv").
import { describe, expect, it } from "vitest";
import { spawnSync } from "node:child_process";
import { readFileSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { fileURLToPath } from "node:url";
import { scratchDir } from "./helpers/scratch.js";
import { runProgram } from "../src/cli/program.js";
import { commandHelp, type Io } from "../src/cli/command.js";
import { COMMANDS } from "../src/cli/commands/index.js";
import { texToPlain } from "../src/cli/plain-tex.js";
import { checkReportText } from "../src/cli/check-text.js";
import { checkAnswersFile, checkGraphAnswersFile } from "../src/index.js";
import { traceNetwork } from "../src/engine/network.js";
import { NOTATION_PRESETS } from "../src/engine/notation.js";
import { isTutorError } from "../src/engine/errors.js";

const root = fileURLToPath(new URL("..", import.meta.url));
const classicPath = join(root, "examples/classic.json");
const slidesPath = join(root, "examples/classic-slide-answers.csv");
const classic = JSON.parse(readFileSync(classicPath, "utf8"));
const tmp = scratchDir("bt-check-output-");

function capture(stdoutIsTTY: boolean): Io & { out: string; err: string } {
  const io = {
    out: "",
    err: "",
    stderrIsTTY: stdoutIsTTY,
    stdoutIsTTY,
    stdout: (t: string) => void (io.out += t),
    stderr: (t: string) => void (io.err += t),
  };
  return io;
}

describe("LaTeX symbols as plain text", () => {
  it.each([
    ["\\frac{\\partial E_{total}}{\\partial a_{o1}}", "∂E_total/∂a_o1"],
    ["w_{5}^{+}", "w_5⁺"],
    ["-\\Delta_{5}", "-Δ_5"],
    ["\\frac{\\partial \\mathcal{L}}{\\partial W^{[2]}_{11}}", "∂ℒ/∂W^[2]_11"],
    ["-\\delta_{1}^{(2)}", "-δ_1^(2)"],
    ["W_{0,[1]}", "W_0,[1]"],
    ["\\sigma(z_{h1}) = \\frac{1}{1 + e^{-z_{h1}}}", "σ(z_h1) = 1/(1 + e^(-z_h1))"],
    ["0.15 \\times 0.05 + 0.2 \\times 0.1", "0.15 × 0.05 + 0.2 × 0.1"],
    ["\\hat{y}", "ŷ"],
    ["x^{2}", "x²"],
  ])("%s → %s", (tex, plain) => expect(texToPlain(tex)).toBe(plain));

  it("every symbol of a trace, in every notation, loses all LaTeX", () => {
    for (const notation of NOTATION_PRESETS) {
      for (const s of traceNetwork(classic, { precision: "float", notation }).steps) {
        expect(texToPlain(s.symbol), `${notation}: ${s.symbol}`).not.toMatch(/[\\{}$]/);
      }
    }
  });
});

describe("the check report as a terminal table", () => {
  const report = checkAnswersFile(classic, slidesPath);
  const text = checkReportText(report);

  it("plain symbols, no LaTeX and no Markdown escapes", () => {
    expect(text).not.toMatch(/\$|\\frac|\\_|\|/);
    expect(text).toMatch(
      /^∂E_total\/∂a_o1 +0\.7414 +0\.74136507… +✓ correct +the exact value 0\.74136507 rounds to 0\.7414 at the 4 decimals written$/m,
    );
    expect(text).toMatch(
      /^∂E_total\/∂w_5 +0\.0820 +0\.08216704… +✗ wrong \(first error\) +should be 0\.0822 \(exact 0\.08216704\)$/m,
    );
    expect(text).toMatch(/^w_5⁺ +0\.3590 +0\.35891648… +→ follows from an earlier error +should be 0\.3589/m);
    expect(text).toContain("the input a_i1, 0.05");
    expect(text).toContain(
      "29 checked: 26 correct, 0 rounding, 1 follows from an earlier error, 2 wrong.\nThe calculation first goes off at dE/dw5.\n",
    );
  });

  it("columns line up: each value ends where its header ends", () => {
    const lines = text.split("\n");
    const end = lines[0].indexOf("your value") + "your value".length;
    for (const l of lines.slice(1, 1 + report.rows.length))
      expect([...l].slice(end - 1, end + 1).join(""), l).toMatch(/^\d $/);
  });
});

describe("check's output: text in a terminal, Markdown when piped, JSON on request", () => {
  it("stdout a terminal: the plain table; the answers' problems said once, on stdout", async () => {
    const io = capture(true);
    expect(await runProgram(["check", classicPath, slidesPath], io)).toBe(1);
    expect(io.out).toMatch(/^quantity +your value +exact +verdict +why\n/);
    expect(io.out).toContain("∂E_total/∂a_o1");
    expect(io.err).toBe("");
  });

  it("stdout piped: Markdown with the symbols in $...$, as before", async () => {
    const io = capture(false);
    expect(await runProgram(["check", classicPath, slidesPath], io)).toBe(1);
    expect(io.out).toMatch(/^\| quantity \| your value \| exact \| verdict \| why \|\n/);
    expect(io.out).toContain("| $\\frac{\\partial E_{total}}{\\partial a_{o1}}$ | 0.7414 |");
  });

  it("--format overrides the default either way", async () => {
    const json = capture(true);
    await runProgram(["check", classicPath, slidesPath, "--format", "json"], json);
    expect(JSON.parse(json.out).summary).toEqual({
      correct: 26,
      rounding: 0,
      followThrough: 1,
      wrong: 2,
      tooFewPlaces: 0,
      total: 29,
    });
    const md = capture(true);
    await runProgram(["check", classicPath, slidesPath, "--format=markdown"], md);
    expect(md.out.startsWith("| quantity |")).toBe(true);
    const text = capture(false);
    await runProgram(["check", classicPath, slidesPath, "--format", "text"], text);
    expect(text.out.startsWith("quantity ")).toBe(true);
  });

  it("check-graph too: ∂f/∂x in a terminal", async () => {
    const answers = join(tmp, "graph.csv");
    writeFileSync(answers, "q,3\nf,-12\ndf/dx,-4\ndf/dz,3\n");
    const io = capture(true);
    expect(await runProgram(["check-graph", "q = x + y; f = q * z", "x=-2", "y=5", "z=-4", answers], io), io.err).toBe(
      0,
    );
    expect(io.out).toMatch(/^∂f\/∂x +-4 +-4 +✓ correct/m);
  });

  it("the command as run, under a pseudo-terminal (script): the plain table", () => {
    const probe = spawnSync("script", ["--version"], { encoding: "utf8" });
    if (probe.error) return expect(probe.error.message).toContain("ENOENT"); // no util-linux script here
    const main = join(root, "dist/cli/main.js");
    const command = `${process.execPath} ${main} check ${classicPath} ${slidesPath}`;
    const r = spawnSync("script", ["-qec", command, "/dev/null"], { encoding: "utf8", timeout: 60_000 });
    expect(r.stdout).toMatch(/^∂E_total\/∂w_5 +0\.0820 /m);
    expect(r.stdout).not.toContain("$");
  });
});

describe("exit codes in every command's help", () => {
  it("each help lists 0 to 3; check's 0 and 1 say what they mean for answers", () => {
    const codes =
      /\nexit codes:\n {2}0 {2}.+\n {2}1 {2}.+\n {2}2 {2}the command line is wrong.+\n {2}3 {2}an internal error.+\n$/;
    for (const c of COMMANDS) expect(commandHelp(c), c.name).toMatch(codes);
    const check = commandHelp(COMMANDS.find((c) => c.name === "check")!);
    expect(check).toContain("  0  nothing wrong: every answer correct, rounding, or following from an earlier error\n");
    expect(check).toContain("  1  an answer is wrong or a key was not understood");
  });
});

describe("checkAnswersFile: one call for a notebook", () => {
  it("a CSV file: the slides' two slips and the follow-through, as the command line reports them", () => {
    const report = checkAnswersFile(classic, slidesPath);
    expect(report.summary).toEqual({
      correct: 26,
      rounding: 0,
      followThrough: 1,
      wrong: 2,
      tooFewPlaces: 0,
      total: 29,
    });
    expect(report.firstWrong).toBe("dE/dw5");
  });

  it("a JSON file, with a notation", () => {
    const path = join(tmp, "answers.json");
    writeFileSync(path, JSON.stringify({ "z^{[1]}_1": "0.3775", "a^{[1]}_1": "0.5933" }));
    const report = checkAnswersFile(classic, path, { notation: "bracket" });
    expect(report.rows.map((r) => [r.canonicalKey, r.verdict])).toEqual([
      ["z^[1]_1", "correct"],
      ["a^[1]_1", "correct"],
    ]);
  });

  it("a graph's answers file", () => {
    const path = join(tmp, "g.json");
    writeFileSync(path, '{"q": "3", "df/dz": "3"}');
    expect(checkGraphAnswersFile("q = x + y; f = q * z", { x: -2, y: 5, z: -4 }, path).summary.correct).toBe(2);
  });

  it("a missing file is one clear error naming the path", () => {
    const path = join(tmp, "nope.csv");
    let error: unknown;
    try {
      checkAnswersFile(classic, path);
    } catch (e) {
      error = e;
    }
    expect(isTutorError(error)).toBe(true);
    expect((error as Error).message).toBe(
      `${path}: cannot read the answers file (no such file, ENOENT). check the path and that the file is readable.`,
    );
  });
});
