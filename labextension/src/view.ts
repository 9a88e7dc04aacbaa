// The step-through view's DOM: draws a StepThrough session (dist/view/session.js, the state and
// its rules) and turns clicks and keys into its method calls. Everything a user or a spec supplies
// reaches the page as text nodes or through KaTeX, never as HTML.
import { readPayload } from "../../dist/view/payload.js";
import { StepThrough, displayValue, type ViewStep, type Attempt } from "../../dist/view/session.js";
import { markSymbols } from "../../dist/view/marks.js";
import type { Layout } from "../../dist/view/layout.js";
import { NOTATION_PRESETS, type NotationPreset } from "../../dist/engine/notation.js";
import { texHtml } from "./tex.js";

export interface MountedView {
  session: StepThrough | undefined;
}

const SVG = "http://www.w3.org/2000/svg";

function el<K extends keyof HTMLElementTagNameMap>(
  tag: K,
  attrs: Record<string, string> = {},
  text?: string,
): HTMLElementTagNameMap[K] {
  const e = document.createElement(tag);
  for (const [k, v] of Object.entries(attrs)) e.setAttribute(k, v);
  if (text !== undefined) e.textContent = text;
  return e;
}

function svg(tag: string, attrs: Record<string, string | number>): SVGElement {
  const e = document.createElementNS(SVG, tag);
  for (const [k, v] of Object.entries(attrs)) e.setAttribute(k, String(v));
  return e;
}

const VERDICT_WORDS: Record<Attempt["verdict"], { mark: string; word: string }> = {
  correct: { mark: "✓", word: "Correct" },
  rounding: { mark: "≈", word: "Right, up to rounding" },
  follows: { mark: "→", word: "Follows from your earlier value" },
  wrong: { mark: "✗", word: "Wrong" },
};

/** "(put right after 2 more tries)" for a step first wrong and later right. */
const corrected = (tries: number | undefined): string =>
  tries ? ` (put right after ${tries} more tr${tries === 1 ? "y" : "ies"})` : "";

/** A step as the board shows it: symbol = formula, = the numbers, = the value (a box while not revealed); no repeats. */
function stepTex(s: ViewStep, marked: string, value: string | undefined): string {
  const parts = [marked, s.substituted].filter((p, i, all) => p !== "" && p !== s.symbol && all.indexOf(p) === i);
  if (value !== undefined && parts.at(-1) === s.value) parts.pop();
  const rows = [...parts, value ?? "\\boxed{\\;?\\;}"];
  return `\\begin{aligned} ${s.symbol} &= ${rows.join(" \\\\ &= ")} \\end{aligned}`;
}

/** Build the view inside `host` for a payload found in a notebook; a bad payload gets one line. */
export function mountStepThrough(host: HTMLElement, data: unknown): MountedView {
  const started = performance.now();
  host.replaceChildren();
  const root = el("div", { class: "bpt-view", "data-bpt-view": "" });
  host.append(root);
  const reading = readPayload(data);
  const fail = (message: string): MountedView => {
    root.replaceChildren(el("p", { class: "bpt-message", role: "alert", "data-bpt-message": "" }, message));
    return { session: undefined };
  };
  if (!reading.ok) return fail(reading.message);
  let session: StepThrough;
  try {
    session = new StepThrough(reading.payload);
  } catch (e) {
    return fail(`The step-through view cannot show this calculation: ${e instanceof Error ? e.message : String(e)}`);
  }
  const view = new View(root, session);
  view.renderAll();
  root.dataset.bptRenderMs = (performance.now() - started).toFixed(1);
  return { session };
}

class View {
  private readonly header = el("div", { class: "bpt-header" });
  private readonly counter = el("span", { class: "bpt-counter", "aria-live": "polite", "data-bpt-counter": "" });
  private readonly phases = el("div", { class: "bpt-phases", role: "toolbar", "aria-label": "Jump to a phase" });
  private readonly drawing = el("div", { class: "bpt-drawing", "aria-hidden": "true" });
  private readonly card = el("section", { class: "bpt-card", "aria-label": "The current step" });
  private readonly heading = el("div", { class: "bpt-heading" });
  private readonly line = el("div", { class: "bpt-line", "data-bpt-line": "" });
  private readonly input = el("input", {
    type: "text",
    inputmode: "decimal",
    autocomplete: "off",
    spellcheck: "false",
    class: "bpt-input",
    "data-bpt-input": "",
  });
  private readonly inputLabel = el("label", { class: "bpt-input-label" });
  private readonly feedback = el("div", {
    class: "bpt-feedback",
    role: "status",
    "aria-live": "polite",
    "data-bpt-feedback": "",
  });
  private readonly reads = el("div", { class: "bpt-reads" });
  private readonly tip = el("div", { class: "bpt-tip", role: "tooltip", "data-bpt-tip": "" });
  private readonly givensTable = el("table", { class: "bpt-table bpt-givens", "data-bpt-givens": "" });
  private readonly editMessage = el("p", { class: "bpt-edit-message", role: "alert", "data-bpt-edit-message": "" });
  private readonly traceTable = el("table", { class: "bpt-table bpt-trace", "data-bpt-trace": "" });
  private readonly summary = el("details", { class: "bpt-summary", "data-bpt-summary": "" });
  private layout: Layout | undefined;
  /** the current step's hoverable symbols: ids of the steps and givens, by ref number */
  private refs: string[] = [];

  constructor(
    private readonly root: HTMLElement,
    private readonly s: StepThrough,
  ) {
    root.setAttribute("role", "region");
    root.setAttribute("aria-label", s.title);
    root.tabIndex = 0;
    const inputId = `bpt-input-${Math.random().toString(36).slice(2, 9)}`;
    this.input.id = inputId;
    this.inputLabel.htmlFor = inputId;
    const check = el("button", { type: "button", class: "bpt-check", "data-bpt-check": "" }, "Check");
    const show = el("button", { type: "button", class: "bpt-show", "data-bpt-show": "" }, "Show");
    const prev = el(
      "button",
      { type: "button", class: "bpt-prev", "data-bpt-prev": "", "aria-label": "Previous step" },
      "◀ Previous",
    );
    const next = el(
      "button",
      { type: "button", class: "bpt-next", "data-bpt-next": "", "aria-label": "Next step" },
      "Next ▶",
    );
    const form = el("div", { class: "bpt-form" });
    form.append(this.inputLabel, this.input, check, show);
    const nav = el("div", { class: "bpt-nav" });
    nav.append(prev, next);
    const keys = el(
      "p",
      { class: "bpt-keys" },
      "Keys: ← → step (Home, End: first, last) · Enter checks your value · Tab reaches every button and box",
    );
    this.card.append(this.heading, this.line, form, this.feedback, this.reads, nav, keys);
    const body = el("div", { class: "bpt-body" });
    body.append(this.drawing, this.card);
    const tables = el("div", { class: "bpt-tables" });
    const givens = el("section", { class: "bpt-givens-section", "aria-label": "Given numbers" });
    const reset = el("button", { type: "button", class: "bpt-reset", "data-bpt-reset": "" }, "Undo all edits");
    givens.append(
      el("h4", {}, "Given numbers (edit any to ask “what if?”)"),
      this.givensTable,
      this.editMessage,
      reset,
    );
    const trace = el("section", { class: "bpt-trace-section", "aria-label": "The trace so far" });
    trace.append(el("h4", {}, "The trace so far"), this.traceTable);
    tables.append(givens, trace);
    root.append(this.header, this.phases, body, this.summary, tables, this.tip);

    check.addEventListener("click", () => this.check());
    show.addEventListener("click", () => {
      this.s.show();
      this.renderStep();
    });
    prev.addEventListener("click", () => this.move(() => this.s.previous()));
    next.addEventListener("click", () => this.move(() => this.s.next()));
    reset.addEventListener("click", () =>
      this.timed("bptEditMs", () => {
        this.s.resetEdits();
        this.editMessage.textContent = "";
        this.renderAll();
        this.rejudgeSoon();
      }),
    );
    this.input.addEventListener("keydown", (e) => {
      if (e.key === "Enter") {
        e.preventDefault();
        this.check();
      }
    });
    root.addEventListener("keydown", (e) => this.key(e));
    root.addEventListener("mouseover", (e) => this.hover(e.target));
    root.addEventListener("focusin", (e) => this.hover(e.target));
    root.addEventListener("mouseout", () => this.unhover());
  }

  private pendingTex: { cell: HTMLElement; tex: string }[] = [];

  /**
   * The tables' symbols are typeset just after the view first shows (the step itself at once):
   * until then a cell shows the plain key, so the view is usable sooner on a slow machine.
   */
  private laterTex(cell: HTMLElement, tex: string, plain: string): HTMLElement {
    // after the first paint KaTeX's output is cached: redraws (edits, notation) typeset at once
    if (this.root.dataset.bptTablesMs !== undefined) {
      cell.innerHTML = texHtml(tex);
      return cell;
    }
    cell.textContent = plain;
    if (this.pendingTex.length === 0) {
      setTimeout(() => {
        const started = performance.now();
        for (const p of this.pendingTex.splice(0)) p.cell.innerHTML = texHtml(p.tex);
        this.root.dataset.bptTablesMs = (performance.now() - started).toFixed(1);
      }, 0);
    }
    this.pendingTex.push({ cell, tex });
    return cell;
  }

  /** Measured for the browser test's own report (not a pass/fail figure). */
  private timed(name: string, f: () => void): void {
    const t = performance.now();
    f();
    this.root.dataset[name] = (performance.now() - t).toFixed(2);
  }

  /** Verdicts against edited numbers come a moment after the recomputed values (the checker's scan takes longer). */
  private rejudgeSoon(): void {
    if (!this.s.verdictsStale) return;
    this.root.dataset.bptJudging = "true";
    setTimeout(() => {
      this.timed("bptRejudgeMs", () => this.s.rejudge());
      delete this.root.dataset.bptJudging;
      this.renderStep();
    }, 0);
  }

  private move(f: () => void): void {
    this.timed("bptStepMs", () => {
      f();
      this.renderStep();
    });
  }

  private key(e: KeyboardEvent): void {
    // Ctrl/Cmd combinations (save, undo, copy) stay JupyterLab's
    if (e.ctrlKey || e.metaKey) return;
    const inText = e.target instanceof HTMLInputElement || e.target instanceof HTMLSelectElement;
    // arrows move the caret inside a text box; Alt+arrow still steps from there
    if (inText && !e.altKey) {
      e.stopPropagation();
      return;
    }
    const moves: Record<string, () => void> = {
      ArrowRight: () => this.s.next(),
      ArrowDown: () => this.s.next(),
      ArrowLeft: () => this.s.previous(),
      ArrowUp: () => this.s.previous(),
      Home: () => this.s.go(0),
      End: () => this.s.go(this.s.steps.length - 1),
    };
    const f = moves[e.key];
    if (f) {
      e.preventDefault();
      this.move(f);
    }
    // keep the notebook's command-mode keys (arrows, j, k, a, b, d d …) away from the view
    if (e.key !== "Tab" && e.key !== "Escape") e.stopPropagation();
  }

  private check(): void {
    const typed = this.input.value;
    const out = this.s.check(typed);
    if (!out.ok) {
      this.feedback.replaceChildren(
        el("span", { class: "bpt-verdict bpt-invalid", "data-verdict": "invalid" }, `✗ ${out.message}`),
      );
      return;
    }
    this.renderStep();
  }

  renderAll(): void {
    this.renderHeader();
    this.renderDrawing();
    this.renderGivens();
    this.renderTrace();
    this.renderStep();
  }

  private renderHeader(): void {
    this.header.replaceChildren(el("h3", { class: "bpt-title" }, this.s.title), this.counter);
    if (this.s.kind === "network") {
      const label = el("label", { class: "bpt-notation" }, "Notation ");
      const select = el("select", { "data-bpt-notation": "" });
      for (const p of NOTATION_PRESETS) {
        const o = el("option", { value: p }, p);
        if (p === this.s.notation) o.selected = true;
        select.append(o);
      }
      select.addEventListener("change", () =>
        this.timed("bptNotationMs", () => {
          this.s.setNotation(select.value as NotationPreset);
          this.renderAll();
          this.rejudgeSoon();
        }),
      );
      label.append(select);
      this.header.append(label);
      this.header.append(el("span", { class: "bpt-precision" }, `precision ${this.s.precision}`));
    } else {
      this.header.append(el("span", { class: "bpt-precision" }, `precision ${this.s.precision}`));
    }
    this.phases.replaceChildren(el("span", { class: "bpt-phases-label" }, "Jump to:"));
    for (const p of this.s.phases) {
      const b = el("button", { type: "button", "data-bpt-phase": p.id }, p.title);
      b.addEventListener("click", () => this.move(() => this.s.jump(p.id)));
      this.phases.append(b);
    }
  }

  private renderDrawing(): void {
    this.layout = this.s.layout();
    const { width, height, nodes, edges } = this.layout;
    const picture = svg("svg", { viewBox: `0 0 ${width} ${height}`, width, height, class: "bpt-svg" });
    for (const e of edges)
      picture.append(
        svg("line", { x1: e.from.x, y1: e.from.y, x2: e.to.x, y2: e.to.y, "data-edge": e.key, class: "bpt-edge" }),
      );
    for (const n of nodes) {
      const g = svg("g", { "data-unit": n.key, class: "bpt-unit" });
      g.append(svg("circle", { cx: n.x, cy: n.y, r: 22 }));
      const t = svg("text", { x: n.x, y: n.y + 4, "text-anchor": "middle" });
      t.textContent = n.label;
      const title = svg("title", {});
      title.textContent = n.name;
      g.append(title, t);
      picture.append(g);
    }
    this.drawing.replaceChildren(picture);
  }

  private renderGivens(): void {
    const body = el("tbody");
    for (const g of this.s.givens) {
      const tr = el("tr", { "data-id": g.id });
      if (this.s.edits.has(g.id)) tr.classList.add("bpt-edited");
      const sym = this.laterTex(el("td", { class: "bpt-sym" }), g.tex, g.what);
      const cell = el("td");
      const input = el("input", {
        type: "text",
        inputmode: "decimal",
        value: g.value,
        "aria-label": g.what,
        "data-bpt-given": g.id,
        class: "bpt-given-input",
      });
      const apply = () => {
        if (input.value.trim() === this.s.givenValue(g.id)) return;
        this.timed("bptEditMs", () => {
          const out = this.s.edit(g.id, input.value);
          this.editMessage.textContent = out.ok ? "" : out.message;
          if (out.ok) {
            this.renderAll();
            this.rejudgeSoon();
          }
        });
      };
      input.addEventListener("keydown", (e) => {
        if (e.key === "Enter") {
          e.preventDefault();
          apply();
        }
      });
      input.addEventListener("change", apply);
      cell.append(input);
      tr.append(sym, cell, el("td", { class: "bpt-what" }, g.what + (this.s.edits.has(g.id) ? " (edited)" : "")));
      body.append(tr);
    }
    this.givensTable.replaceChildren(el("caption", { class: "bpt-sr" }, "Given numbers"), body);
  }

  private renderTrace(): void {
    const head = el("thead");
    const hr = el("tr");
    for (const h of ["#", "quantity", "value", "your answer"]) hr.append(el("th", { scope: "col" }, h));
    head.append(hr);
    const body = el("tbody");
    this.s.steps.forEach((step, i) => {
      const tr = el("tr", { "data-id": step.id, "data-key": step.key });
      const sym = this.laterTex(el("td", { class: "bpt-sym" }), step.symbol, step.key);
      const go = el(
        "button",
        { type: "button", class: "bpt-goto", "aria-label": `Go to step ${i + 1}, ${step.key}` },
        String(i + 1),
      );
      go.addEventListener("click", () => this.move(() => this.s.go(i)));
      const num = el("td", { class: "bpt-num" });
      num.append(go);
      tr.append(num, sym, el("td", { class: "bpt-value", "data-bpt-value": "" }), el("td", { class: "bpt-answer" }));
      body.append(tr);
    });
    this.traceTable.replaceChildren(head, body);
  }

  /** Everything that depends on the current step: the card, the highlights, the table's values, the summary. */
  renderStep(): void {
    const s = this.s,
      step = s.current;
    const revealed = s.revealed(step.id);
    this.root.dataset.step = String(s.index + 1);
    this.counter.textContent = `Step ${s.index + 1} of ${s.steps.length}`;
    for (const b of this.phases.querySelectorAll<HTMLButtonElement>("button[data-bpt-phase]")) {
      b.setAttribute("aria-pressed", String(b.dataset.bptPhase === step.phase));
    }
    this.heading.textContent = step.heading;

    // the line, with the symbols whose values it reads marked for hovering
    const sources = [
      ...s.steps.filter((x) => x.id !== step.id).map((x) => ({ id: x.id, tex: x.symbol })),
      ...s.givens.map((g) => ({ id: g.id, tex: g.tex })),
    ];
    const texes = sources.map((x) => x.tex);
    this.refs = sources.map((x) => x.id);
    const value = revealed ? displayValue(step.value) : undefined;
    this.line.innerHTML = texHtml(stepTex(step, markSymbols(step.formula, texes), value), true);
    this.line.classList.toggle("bpt-changed", s.changed.has(step.id));
    this.line.dataset.bptRevealed = String(revealed);
    if (revealed) this.line.dataset.bptValue = step.value;
    else delete this.line.dataset.bptValue;
    this.inputLabel.textContent = `Your value for ${step.key}:`;
    if (document.activeElement !== this.input) this.input.value = s.attempts(step.id).at(-1)?.typed ?? "";
    this.renderFeedback(step);

    // "this step reads": keyboard-reachable sources
    this.reads.replaceChildren();
    if (step.uses.reads.length) {
      this.reads.append(el("span", { class: "bpt-reads-label" }, "Reads: "));
      for (const id of step.uses.reads) {
        const b = el("button", { type: "button", class: "bpt-read", "data-ref-id": id });
        b.innerHTML = texHtml(this.sourceTex(id));
        this.reads.append(b);
      }
    }

    // linked highlights
    const uses = step.uses;
    for (const g of this.drawing.querySelectorAll<SVGElement>("[data-unit]"))
      g.classList.toggle("bpt-on", uses.units.includes(g.dataset.unit!));
    for (const e of this.drawing.querySelectorAll<SVGElement>("[data-edge]"))
      e.classList.toggle("bpt-on", uses.edges.includes(e.dataset.edge!));
    for (const tr of this.givensTable.querySelectorAll<HTMLElement>("tr[data-id]")) {
      tr.classList.toggle("bpt-read-by-step", uses.reads.includes(tr.dataset.id!));
    }
    for (const tr of this.traceTable.querySelectorAll<HTMLElement>("tbody tr")) {
      const id = tr.dataset.id!;
      tr.classList.toggle("bpt-current", id === step.id);
      tr.classList.toggle("bpt-read-by-step", uses.reads.includes(id));
      tr.classList.toggle("bpt-changed", s.changed.has(id));
      if (id === step.id) tr.setAttribute("aria-current", "step");
      else tr.removeAttribute("aria-current");
      const x = s.steps.find((t) => t.id === id)!;
      const cells = tr.querySelectorAll("td");
      const shown = s.revealed(id);
      cells[2].textContent = (shown ? displayValue(x.value) : "?") + (s.changed.has(id) ? " (changed)" : "");
      if (shown) cells[2].setAttribute("title", x.value);
      else cells[2].removeAttribute("title");
      const last = s.attempts(id).at(-1);
      cells[3].textContent = last ? `${VERDICT_WORDS[last.verdict].mark} ${last.typed}` : "";
      cells[3].dataset.verdict = last?.verdict ?? "";
    }
    this.renderSummary();
  }

  private sourceTex(id: string): string {
    return this.s.steps.find((x) => x.id === id)?.symbol ?? this.s.givens.find((g) => g.id === id)?.tex ?? id;
  }

  private renderFeedback(step: ViewStep): void {
    const last = this.s.attempts(step.id).at(-1);
    if (!last) {
      this.feedback.replaceChildren();
      if (this.s.revealed(step.id))
        this.feedback.append(el("span", { class: "bpt-verdict", "data-verdict": "shown" }, "Shown without an answer."));
      return;
    }
    const w = VERDICT_WORDS[last.verdict];
    const line = el("span", { class: `bpt-verdict bpt-${last.verdict}`, "data-verdict": last.verdict });
    line.append(
      el("strong", {}, `${w.mark} ${w.word}`),
      document.createTextNode(`: you wrote ${last.typed}; ${last.explanation}.`),
    );
    this.feedback.replaceChildren(line);
  }

  private renderSummary(): void {
    const sum = this.s.summary();
    const atEnd = this.s.index === this.s.steps.length - 1 && this.s.revealed(this.s.current.id);
    if (atEnd) this.summary.open = true;
    const c = sum.counts;
    const counts = `${c.correct} correct, ${c.rounding} rounding, ${c.follows} follow-through, ${c.wrong} wrong, ${c.shown} shown`;
    const head = el("summary", {}, `Summary: ${sum.answered} of ${sum.total} steps answered — ${counts}`);
    const list = el("ul");
    for (const l of sum.lines) {
      const li = el("li", { "data-verdict": l.verdict });
      const go = el("button", { type: "button", class: "bpt-goto" }, `step ${l.index + 1}`);
      go.addEventListener("click", () => this.move(() => this.s.go(l.index)));
      const sym = el("span");
      sym.innerHTML = texHtml(l.symbol);
      const verdict =
        l.verdict === "shown"
          ? ""
          : `${VERDICT_WORDS[l.verdict].mark} ${l.verdict === "follows" ? "follows through" : "wrong"}`;
      const what =
        l.verdict === "shown"
          ? "shown without an answer"
          : `${verdict}: ${l.typed}; ${l.explanation}${corrected(l.correctedAfter)}`;
      li.append(go, document.createTextNode(" "), sym, document.createTextNode(` ${what}`));
      list.append(li);
    }
    const none = sum.answered
      ? "Nothing went wrong so far."
      : "Type a value for a step and press Check (or Enter); Show reveals it without judging.";
    this.summary.replaceChildren(head, sum.lines.length ? list : el("p", {}, none));
  }

  /** Hovering (or focusing) a symbol: say where its value came from and light up its row and unit. */
  private hover(target: EventTarget | null): void {
    if (!(target instanceof Element)) return;
    const marked = target.closest<HTMLElement>("[data-ref], [data-ref-id]");
    if (!marked) return;
    const id = marked.dataset.refId ?? this.refs[Number(marked.dataset.ref)];
    if (!id) return;
    const step = this.s.steps.findIndex((x) => x.id === id);
    let text: string;
    if (step >= 0) {
      const x = this.s.steps[step];
      text = `${x.key} = ${this.s.revealed(id) ? displayValue(x.value) : "? (not revealed yet)"}: step ${step + 1}, ${x.heading}`;
    } else {
      const g = this.s.givens.find((x) => x.id === id);
      if (!g) return;
      text = `${g.what} = ${g.value}: given${this.s.edits.has(id) ? " (edited)" : ""}`;
    }
    this.tip.textContent = text;
    this.tip.classList.add("bpt-tip-on");
    const box = marked.getBoundingClientRect(),
      rootBox = this.root.getBoundingClientRect();
    this.tip.style.left = `${box.left - rootBox.left}px`;
    this.tip.style.top = `${box.bottom - rootBox.top + 4}px`;
    for (const tr of this.root.querySelectorAll<HTMLElement>("tr[data-id]"))
      tr.classList.toggle("bpt-source", tr.dataset.id === id);
  }

  private unhover(): void {
    this.tip.classList.remove("bpt-tip-on");
    for (const tr of this.root.querySelectorAll<HTMLElement>("tr.bpt-source")) tr.classList.remove("bpt-source");
  }
}
