// The step-through view's DOM: draws a StepThrough session (src/view/session.ts, the state and
// its rules) and turns clicks and keys into its method calls. Everything a user or a spec supplies
// reaches the page as text nodes or through KaTeX, never as HTML. The student's progress goes to
// `save` after every change (the renderer keeps it in the output's metadata, so the notebook file
// carries it) and comes back as `saved` when the notebook is opened again.
import { readPayload } from "../../src/view/payload.js";
import { StepThrough, type ViewStep } from "../../src/view/session.js";
import { shortText, shortValue } from "../../src/render/step-line.js";
import { VERDICT_WORDS } from "../../src/render/verdict-words.js";
import type { Progress } from "../../src/view/progress.js";
import { markSymbols } from "../../src/view/marks.js";
import { NOTATION_PRESETS, type NotationPreset } from "../../src/engine/notation.js";
import { texHtml } from "./tex.js";
import { el } from "./dom.js";
import { drawing, paintDrawing } from "./drawing.js";
import { lossPlot } from "./plot.js";
import { summaryHeading, summaryList } from "./summary.js";
import { oldToNew, sourceTip, stepTex, verdictLine } from "./words.js";

export interface MountedView {
  session: StepThrough | undefined;
}

export interface MountOptions {
  /** progress saved with the notebook (the output's metadata), checked before use */
  saved?: unknown;
  /** keep the progress with the notebook */
  save?: (progress: Progress) => void;
}

/** Build the view inside `host` for a payload found in a notebook; a bad payload gets one line. */
export function mountStepThrough(host: HTMLElement, data: unknown, opts: MountOptions = {}): MountedView {
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
  if (opts.saved !== undefined) session.restore(opts.saved);
  const view = new View(root, session, opts.save ?? (() => undefined));
  view.renderAll();
  root.dataset.bptRenderMs = (performance.now() - started).toFixed(1);
  return { session };
}

/** The progress is saved once changes pause this long, and at most this long after a change (see View.saveSoon). */
const SAVE_AFTER_MS = 200;
const SAVE_WITHIN_MS = 2000;

/** Set an element's text only when it differs (a new text node costs a layout). */
function setText(node: Element, text: string): void {
  if (node.textContent !== text) node.textContent = text;
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
  private readonly whatIf = el("div", { class: "bpt-whatif", "data-bpt-whatif": "" });
  private readonly givensTable = el("table", { class: "bpt-table bpt-givens", "data-bpt-givens": "" });
  private readonly editMessage = el("p", { class: "bpt-edit-message", role: "alert", "data-bpt-edit-message": "" });
  private readonly plot = el("div", { class: "bpt-plot-box" });
  private readonly traceTable = el("table", { class: "bpt-table bpt-trace", "data-bpt-trace": "" });
  private readonly summary = el("details", { class: "bpt-summary", "data-bpt-summary": "" });
  private readonly summaryHead = el("summary");
  /** the step the card shows: its box empties when the step changes */
  private shownIndex = -1;
  /** the given edited last, for the loss plot */
  private lastEdited: string | undefined;
  /** the current step's hoverable symbols: ids of the steps and givens, by ref number */
  private refs: string[] = [];

  constructor(
    private readonly root: HTMLElement,
    private readonly s: StepThrough,
    private readonly save: (p: Progress) => void,
  ) {
    root.setAttribute("role", "region");
    root.setAttribute("aria-label", s.title);
    root.tabIndex = 0;
    const inputId = `bpt-input-${Math.random().toString(36).slice(2, 9)}`;
    this.input.id = inputId;
    this.inputLabel.htmlFor = inputId;
    const check = el("button", { type: "button", class: "bpt-check", "data-bpt-check": "" }, "Check");
    const show = el("button", { type: "button", class: "bpt-show", "data-bpt-show": "" }, "Show");
    const prev = el("button", { type: "button", class: "bpt-prev", "data-bpt-prev": "" }, "◀ Previous");
    const next = el("button", { type: "button", class: "bpt-next", "data-bpt-next": "" }, "Next ▶");
    const form = el("div", { class: "bpt-form" });
    form.append(this.inputLabel, this.input, check, show, prev, next);
    const keys = el(
      "p",
      { class: "bpt-keys" },
      "Keys: Enter checks your value, Enter again goes on · Alt+← / Alt+→ step from the box (← → elsewhere in the view) · Home, End: first, last step",
    );
    this.card.append(this.heading, this.line, form, this.feedback, this.reads, keys);
    const body = el("div", { class: "bpt-body" });
    body.append(this.drawing, this.card);
    const tables = el("div", { class: "bpt-tables" });
    const givens = el("section", { class: "bpt-givens-section", "aria-label": "Given numbers" });
    const reset = el("button", { type: "button", class: "bpt-reset", "data-bpt-reset": "" }, "Back to the problem");
    givens.append(
      el("h4", {}, "Given numbers (change one to ask “what if?”)"),
      this.givensTable,
      this.editMessage,
      this.whatIf,
      this.plot,
    );
    this.whatIf.append(reset);
    const trace = el("section", { class: "bpt-trace-section", "aria-label": "The trace so far" });
    trace.append(el("h4", {}, "The trace so far"), this.traceTable);
    tables.append(givens, trace);
    root.append(this.header, this.phases, body, this.summary, tables, this.tip);
    this.keepCardHeight();

    check.addEventListener("click", () => this.check());
    show.addEventListener("click", () => this.changed("bptStepMs", () => this.s.show()));
    prev.addEventListener("click", () => this.move(() => this.s.previous()));
    next.addEventListener("click", () => this.move(() => this.s.next()));
    reset.addEventListener("click", () =>
      this.changed(
        "bptEditMs",
        () => {
          this.s.resetEdits();
          this.lastEdited = undefined;
          this.editMessage.textContent = "";
        },
        "numbers",
      ),
    );
    this.input.addEventListener("keydown", (e) => {
      if (e.key !== "Enter") return;
      e.preventDefault();
      // a second Enter, once the value is on the page, goes on to the next step
      if (this.s.revealed(this.s.current.id)) this.move(() => this.s.next());
      else this.check();
    });
    root.addEventListener("keydown", (e) => this.key(e));
    this.summary.addEventListener("toggle", () => this.renderSummary());
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

  /**
   * Run a change, redraw what it can have changed, save the progress; the time is kept for the
   * benchmark. "step": the card, highlights and values; "numbers": also the givens and the what-if
   * plot (a what-if edit changes numbers only, so the tables and drawing are kept, not rebuilt:
   * rebuilding them re-laid out every typeset symbol); "all": everything (notation, start again).
   */
  private changed(
    name: string,
    f: () => void,
    redraw: "step" | "numbers" | "all" = "step",
    started = performance.now(),
  ): void {
    f();
    if (redraw === "all") this.renderAll();
    else if (redraw === "numbers") this.renderNumbers();
    else this.renderStep();
    this.root.dataset[name] = (performance.now() - started).toFixed(2);
    this.saveSoon();
  }

  /** the pending save's timer, and when the first change it will save was made */
  private saveTimer: ReturnType<typeof setTimeout> | undefined;
  private unsavedSince: number | undefined;
  /**
   * The card keeps the tallest height it has had: a step with a shorter line would move everything
   * below the view, and in a notebook every cell under it was repainted (1400 paint operations a
   * Next in 05, 7 with the height kept). Grown only, after layout (no layout is forced for it).
   */
  private keepCardHeight(): void {
    if (typeof ResizeObserver === "undefined") return;
    let tallest = 0;
    new ResizeObserver((entries) => {
      const h = entries[0]?.borderBoxSize?.[0]?.blockSize ?? 0;
      if (h <= tallest) return;
      tallest = h;
      this.card.style.minHeight = `${h}px`;
    }).observe(this.card);
  }

  /**
   * Keep the progress with the notebook once the changes pause, with the progress as it is then:
   * JupyterLab's update of the output's metadata (a shared-model change, the notebook marked
   * modified) took longer than a change itself, so it waits until SAVE_AFTER_MS pass without a
   * change (a student clicking through steps is not slowed by saves in between), and never longer
   * than SAVE_WITHIN_MS after the first unsaved change.
   */
  private saveSoon(): void {
    const now = performance.now();
    this.unsavedSince ??= now;
    clearTimeout(this.saveTimer);
    const wait = Math.min(SAVE_AFTER_MS, Math.max(0, this.unsavedSince + SAVE_WITHIN_MS - now));
    this.saveTimer = setTimeout(() => {
      this.saveTimer = this.unsavedSince = undefined;
      this.save(this.s.progress());
    }, wait);
  }

  private move(f: () => void): void {
    this.changed("bptStepMs", f);
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
    const t = performance.now();
    const out = this.s.check(this.input.value);
    if (!out.ok) {
      this.feedback.replaceChildren(
        el("span", { class: "bpt-verdict bpt-invalid", "data-verdict": "invalid" }, `✗ ${out.message}`),
      );
      this.root.dataset.bptCheckMs = (performance.now() - t).toFixed(2);
      return;
    }
    this.renderStep();
    this.root.dataset.bptCheckMs = (performance.now() - t).toFixed(2);
    this.saveSoon();
  }

  renderAll(): void {
    this.renderHeader();
    this.drawing.replaceChildren(drawing(this.s.layout(), this.s.kind));
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
        this.changed("bptNotationMs", () => this.s.setNotation(select.value as NotationPreset), "all"),
      );
      label.append(select);
      this.header.append(label);
    }
    const places = this.s.decimals === undefined ? "" : ` (answers to ${this.s.decimals} decimal places)`;
    this.header.append(el("span", { class: "bpt-precision" }, `precision ${this.s.precision}${places}`));
    const again = el("button", { type: "button", class: "bpt-again", "data-bpt-again": "" }, "Start again");
    again.addEventListener("click", () => {
      if (!window.confirm("Start again? Your answers in this view are cleared.")) return;
      this.changed("bptStepMs", () => this.s.startAgain(), "all");
    });
    this.header.append(again);
    this.phases.replaceChildren(el("span", { class: "bpt-phases-label" }, "Jump to:"));
    for (const p of this.s.phases) {
      const b = el("button", { type: "button", "data-bpt-phase": p.id }, p.title);
      b.addEventListener("click", () => this.move(() => this.s.jump(p.id)));
      this.phases.append(b);
    }
  }

  private renderGivens(): void {
    const body = el("tbody");
    for (const g of this.s.givens) {
      const tr = el("tr", { "data-id": g.id });
      const sym = this.laterTex(el("td", { class: "bpt-sym" }), g.tex, g.what);
      const cell = el("td", { class: "bpt-given-cell" });
      const input = el("input", {
        type: "text",
        inputmode: "decimal",
        value: g.value,
        "aria-label": `${g.what}, what if it were`,
        "data-bpt-given": g.id,
        class: "bpt-given-input",
      });
      const apply = () => {
        if (input.value.trim() === this.s.givenValue(g.id)) return;
        const started = performance.now();
        const out = this.s.edit(g.id, input.value);
        this.editMessage.textContent = out.ok ? "" : out.message;
        if (out.ok) this.changed("bptEditMs", () => (this.lastEdited = g.id), "numbers", started);
      };
      input.addEventListener("keydown", (e) => {
        if (e.key === "Enter") {
          e.preventDefault();
          apply();
        }
      });
      input.addEventListener("change", apply);
      cell.append(input);
      tr.append(sym, cell, el("td", { class: "bpt-what" }));
      body.append(tr);
    }
    this.givensTable.replaceChildren(el("caption", { class: "bpt-sr" }, "Given numbers"), body);
    this.paintGivens();
    this.renderWhatIf();
  }

  /** The givens' numbers as they are now (edited ones marked, with what they were), in the rows already there. */
  private paintGivens(): void {
    for (const tr of this.givensTable.querySelectorAll<HTMLElement>("tr[data-id]")) {
      const g = this.s.givens.find((x) => x.id === tr.dataset.id);
      if (!g) continue;
      const edited = this.s.edits.has(g.id);
      tr.classList.toggle("bpt-edited", edited);
      const input = tr.querySelector<HTMLInputElement>("[data-bpt-given]")!;
      if (input.value !== g.value) input.value = g.value;
      setText(tr.querySelector(".bpt-what")!, g.what + (edited ? ` (was ${this.s.baseGiven(g.id)})` : ""));
    }
  }

  /** After a what-if edit or going back: the same steps and givens with other numbers. */
  private renderNumbers(): void {
    this.paintGivens();
    this.renderWhatIf();
    this.renderStep();
  }

  /** What-if is on while any given differs from the problem's: a note, the way back, and the loss plot for a weight. */
  private renderWhatIf(): void {
    const on = this.s.edits.size > 0;
    this.root.classList.toggle("bpt-whatif-on", on);
    this.whatIf.hidden = !on;
    this.whatIf.querySelector(".bpt-whatif-note")?.remove();
    if (on)
      this.whatIf.prepend(
        el(
          "p",
          { class: "bpt-whatif-note" },
          "What if: the values below are recomputed from your numbers, each changed one shown old → new. Your verdicts stay as they were; answering waits until you go back to the problem.",
        ),
      );
    this.plot.replaceChildren();
    const curve = this.lastEdited && this.s.edits.has(this.lastEdited) ? this.s.lossCurve(this.lastEdited) : undefined;
    if (curve) {
      const seen = this.s.revealed(curve.gradientId)
        ? ` = ${shortText(this.s.baseValues.get(curve.gradientId)!)} at the problem's own value`
        : "";
      this.plot.append(lossPlot(curve, seen));
    }
  }

  private renderTrace(): void {
    const head = el("thead");
    const hr = el("tr");
    for (const h of ["#", "quantity", "value", "your answer"]) hr.append(el("th", { scope: "col" }, h));
    head.append(hr);
    const cols = el("colgroup");
    for (const c of ["num", "sym", "value", "answer"]) cols.append(el("col", { class: `bpt-col-${c}` }));
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
    this.traceTable.replaceChildren(cols, head, body);
  }

  /** A step's value as the page may show it: "?" until revealed; old → new under what-if. */
  private valueText(id: string): string {
    const s = this.s;
    const x = s.steps.find((t) => t.id === id)!;
    if (!s.revealed(id)) return s.changed.has(id) ? "? (changed by what-if)" : "?";
    return s.changed.has(id) ? oldToNew(s.baseValues.get(id)!, x.value) : shortText(x.value);
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
    this.renderLine(step, revealed);
    this.inputLabel.textContent = `Your value for ${step.key}${s.decimals === undefined ? "" : ` (${s.decimals} places)`}:`;
    if (this.shownIndex !== s.index) this.input.value = "";
    this.shownIndex = s.index;
    this.input.disabled = s.edits.size > 0;
    this.renderFeedback(step);
    this.renderReads(step);
    paintDrawing(this.drawing, s, step);
    this.paintTables(step);
    this.renderSummary();
  }

  /** The line: the formula's symbols marked for hovering; its numbers only once every value it reads is on the page. */
  private renderLine(step: ViewStep, revealed: boolean): void {
    const s = this.s;
    const sources = [
      ...s.steps.filter((x) => x.id !== step.id).map((x) => ({ id: x.id, tex: x.symbol })),
      ...s.givens.map((g) => ({ id: g.id, tex: g.tex })),
    ];
    this.refs = sources.map((x) => x.id);
    const numbers = s.inputsSeen(step) ? step.substituted : undefined;
    const value = revealed
      ? s.changed.has(step.id)
        ? `${shortValue(s.baseValues.get(step.id)!)} \\to ${shortValue(step.value)}`
        : shortValue(step.value)
      : undefined;
    const marked = markSymbols(
      step.formula,
      sources.map((x) => x.tex),
    );
    this.line.innerHTML = texHtml(stepTex(step, marked, numbers, value), true);
    this.line.classList.toggle("bpt-changed", s.changed.has(step.id));
    this.line.dataset.bptRevealed = String(revealed);
    if (revealed) this.line.dataset.bptValue = step.value;
    else delete this.line.dataset.bptValue;
  }

  /** "Reads": a button per value the step reads, named in words for screen readers. */
  private renderReads(step: ViewStep): void {
    this.reads.replaceChildren();
    if (!step.uses.reads.length) return;
    this.reads.append(el("span", { class: "bpt-reads-label" }, "Reads: "));
    for (const id of step.uses.reads) {
      const name = this.sourceName(id);
      const b = el("button", {
        type: "button",
        class: "bpt-read",
        "data-ref-id": id,
        "aria-label": `reads ${name}: where its value comes from`,
      });
      b.innerHTML = texHtml(this.sourceTex(id));
      this.reads.append(b);
    }
  }

  private paintTables(step: ViewStep): void {
    const s = this.s,
      uses = step.uses;
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
      const cells = tr.querySelectorAll("td");
      // text set only where it changed: a new text node re-lays out the table around it
      setText(cells[2], this.valueText(id));
      const tries = s.attempts(id);
      const marks = tries.map((a) => `${VERDICT_WORDS[a.verdict].mark} ${a.typed}`);
      const result = s.result(id);
      setText(cells[3], marks.length ? marks.join(" · ") : result === "shown" || result === "skipped" ? result : "");
      const verdict = tries.at(-1)?.verdict ?? result;
      if (cells[3].dataset.verdict !== verdict) cells[3].dataset.verdict = verdict;
    }
  }

  private sourceTex(id: string): string {
    return this.s.steps.find((x) => x.id === id)?.symbol ?? this.s.givens.find((g) => g.id === id)?.tex ?? id;
  }

  private sourceName(id: string): string {
    return this.s.steps.find((x) => x.id === id)?.key ?? this.s.givens.find((g) => g.id === id)?.what ?? id;
  }

  private renderFeedback(step: ViewStep): void {
    const line = verdictLine(this.s, step);
    this.feedback.replaceChildren(...(line ? [line] : []));
  }

  /** what the summary was last drawn from: it is rebuilt only when that changes */
  private summaryDrawn: string | undefined;

  private renderSummary(): void {
    const s = this.s;
    if (s.index === s.steps.length - 1 && s.revealed(s.current.id)) this.summary.open = true;
    const sum = s.summary();
    setText(this.summaryHead, summaryHeading(sum));
    // the list (a symbol typeset a line) only while open: closed, it cost a Next in 05 ~4 ms unseen
    const from = this.summary.open ? JSON.stringify([sum, s.steps.map((x) => s.revealed(x.id))]) : "";
    if (from === this.summaryDrawn) return;
    this.summaryDrawn = from;
    const list = from ? [summaryList(s, sum, (i) => this.move(() => s.go(i)))] : [];
    this.summary.replaceChildren(this.summaryHead, ...list);
  }

  /** Hovering (or focusing) a symbol: say where its value came from and light up its row and unit. */
  private hover(target: EventTarget | null): void {
    if (!(target instanceof Element)) return;
    const marked = target.closest<HTMLElement>("[data-ref], [data-ref-id]");
    if (!marked) return;
    const id = marked.dataset.refId ?? this.refs[Number(marked.dataset.ref)];
    if (!id) return;
    const text = sourceTip(this.s, id, (x) => this.valueText(x));
    if (text === undefined) return;
    this.tip.textContent = text;
    this.tip.classList.add("bpt-tip-on");
    // above the symbol, so the tip never covers the line it explains
    const box = marked.getBoundingClientRect(),
      rootBox = this.root.getBoundingClientRect();
    this.tip.style.left = `${box.left - rootBox.left}px`;
    this.tip.style.top = "";
    this.tip.style.bottom = `${rootBox.bottom - box.top + 4}px`;
    for (const tr of this.root.querySelectorAll<HTMLElement>("tr[data-id]"))
      tr.classList.toggle("bpt-source", tr.dataset.id === id);
  }

  private unhover(): void {
    this.tip.classList.remove("bpt-tip-on");
    for (const tr of this.root.querySelectorAll<HTMLElement>("tr.bpt-source")) tr.classList.remove("bpt-source");
  }
}
