// The JupyterLab MIME-renderer extension: draws the step-through view for outputs carrying
// STEP_THROUGH_MIME. Safe (it renders JSON, not HTML), ranked above the static HTML fallback
// (rank 0 < text/html's 50), so it shows in untrusted notebooks too. The student's progress is
// kept in the output's own metadata under the same MIME type, so the saved notebook carries it
// (reopened, untrusted, or a teacher's copy) and the view takes it up again when it is drawn.
import type { IRenderMime } from "@jupyterlab/rendermime-interfaces";
import { Widget } from "@lumino/widgets";
import { STEP_THROUGH_MIME } from "../../src/view/payload.js";
import type { Progress } from "../../src/view/progress.js";
import { mountStepThrough, type MountedView } from "./view.js";

class StepThroughRenderer extends Widget implements IRenderMime.IRenderer {
  private shown: string | undefined;
  private view: MountedView | undefined;

  constructor() {
    super();
    this.addClass("bpt-output");
  }

  async renderModel(model: IRenderMime.IMimeModel): Promise<void> {
    const data = model.data[STEP_THROUGH_MIME];
    const text = JSON.stringify(data);
    // JupyterLab re-renders an output on some updates (saving progress is one): keep the view when the problem is the same
    if (text === this.shown && this.view) return;
    this.shown = text;
    const save = (progress: Progress) =>
      model.setData({ data: model.data, metadata: { ...model.metadata, [STEP_THROUGH_MIME]: progress as never } });
    this.view = mountStepThrough(this.node, data, { saved: model.metadata[STEP_THROUGH_MIME], save });
  }
}

const rendererFactory: IRenderMime.IRendererFactory = {
  safe: true,
  mimeTypes: [STEP_THROUGH_MIME],
  createRenderer: () => new StepThroughRenderer(),
};

const extension: IRenderMime.IExtension = {
  id: "backprop-tutor-view:renderer",
  rendererFactory,
  rank: 0,
  dataType: "json",
};

export default extension;
