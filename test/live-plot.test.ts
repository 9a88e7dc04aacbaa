// The live loss plot (issue 12, item 7): JupyterLab rebuilds the whole vega view for every redraw,
// so the number of redraws is what a training cell costs in the browser. A 10,000-epoch training
// that takes a fraction of a second must redraw a handful of times, not 20, and the final plot
// must still carry the static SVG that untrusted notebooks and HTML exports show.
import { afterEach, describe, expect, it, vi } from "vitest";
import { createRequire } from "node:module";
import { liveLossPlot } from "../src/index.js";

interface Message {
  data: Record<string, unknown>;
  transient: { display_id?: string };
}
const jupyter = createRequire(import.meta.url)("tslab/dist/jupyter") as {
  lastWriteDisplayData: ((m: Message, update: boolean) => void) | null;
};

function fakeKernel(): Message[] {
  const sent: Message[] = [];
  jupyter.lastWriteDisplayData = (m) => void sent.push(m);
  return sent;
}
afterEach(() => {
  jupyter.lastWriteDisplayData = null;
  vi.useRealTimers();
});
const plots = (sent: Message[]) => sent.filter((m) => "application/vnd.vegalite.v5+json" in m.data);

describe("liveLossPlot", () => {
  it("a fast training (notebook 05: 10,000 epochs, every 100 recorded) redraws at most a few times", async () => {
    vi.useFakeTimers({ toFake: ["Date"] });
    const sent = fakeKernel();
    const plot = liveLossPlot({ title: "E_total while training", every: 500 });
    // 100 recorded epochs over 0.2 s of training, as in notebook 05
    for (let epoch = 100; epoch <= 10000; epoch += 100) {
      vi.advanceTimersByTime(2);
      plot.update(epoch, 1 / epoch);
    }
    await plot.finish();
    const drawn = plots(sent);
    expect(drawn.length).toBe(1); // only the final plot (21 before: one per 500 epochs, then the final)
    expect(drawn.at(-1)!.data["image/svg+xml"]).toMatch(/^<svg/);
    const values = (drawn.at(-1)!.data["application/vnd.vegalite.v5+json"] as { data: { values: unknown[] } }).data
      .values;
    expect(values).toHaveLength(100); // every recorded epoch is in the final plot
  });

  it("a slow training still updates live: one redraw per interval", () => {
    vi.useFakeTimers({ toFake: ["Date"] });
    const sent = fakeKernel();
    const plot = liveLossPlot({ intervalMs: 500 });
    for (let epoch = 1; epoch <= 100; epoch++) {
      vi.advanceTimersByTime(100); // 10 s of training in all
      plot.update(epoch, 1 / epoch);
    }
    expect(plots(sent).length).toBe(20); // at 0.5 s, 1.0 s, …, 10 s of training
  });
});
