// The TypeScript kernel as a prebuilt JupyterLite extension. JupyterLite loads a prebuilt
// extension as a module-federation container: it runs the extension's remoteEntry script, which
// registers `{ init, get }` under `window._JUPYTERLAB[name]`, passes it the app's shared modules
// (`init`) and asks it for the plugins (`get("./extension")`). This file is that container,
// bundled by esbuild (scripts/build-site.mjs); the only shared modules it takes are
// @jupyterlite/services (IKernelSpecs, BaseKernel) and @jupyterlab/coreutils (the site's base URL).
import { typeScriptKernel, type BaseKernelClass, type KernelOptions } from "./kernel.js";

export const NAME = "backprop-tutor-kernel";

interface SharedVersion {
  get(): Promise<() => unknown> | (() => unknown);
}
type ShareScope = Record<string, Record<string, SharedVersion>>;

interface KernelSpecs {
  register(options: { spec: object; create: (options: KernelOptions) => Promise<unknown> }): void;
}
interface CoreUtils {
  PageConfig: { getBaseUrl(): string };
}
interface Services {
  IKernelSpecs: object;
  BaseKernel: BaseKernelClass;
}

let shareScope: ShareScope = {};

/** A module the app shares, in its newest version. */
async function shared<T>(name: string): Promise<T> {
  const versions = shareScope[name];
  if (!versions) throw new Error(`${NAME}: the site does not share ${name}`);
  const newest = Object.keys(versions)
    .sort((a, b) => a.localeCompare(b, undefined, { numeric: true }))
    .pop()!;
  const factory = await versions[newest].get();
  return factory() as T;
}

// the folder of this script: the worker and the engine bundle are beside it
const here = new URL(".", (document.currentScript as HTMLScriptElement).src);

function plugin(services: Services, coreutils: CoreUtils) {
  return {
    id: `${NAME}:kernel`,
    description: "A TypeScript kernel that runs the course's notebooks in the browser",
    autoStart: true,
    requires: [services.IKernelSpecs],
    activate: (_app: unknown, specs: KernelSpecs) => {
      const Kernel = typeScriptKernel(services.BaseKernel, {
        worker: new URL("worker.js", here).href,
        engine: new URL("engine.js", here).href,
        files: new URL("files/", new URL(coreutils.PageConfig.getBaseUrl(), document.baseURI)).href,
      });
      specs.register({
        // the notebooks name the tslab kernel: they open with this one and keep that name when saved
        spec: {
          name: "tslab",
          display_name: "TypeScript",
          language: "typescript",
          argv: [],
          resources: {
            "logo-32x32": new URL("logo-64x64.png", here).href,
            "logo-64x64": new URL("logo-64x64.png", here).href,
          },
        },
        create: async (options) => new Kernel(options),
      });
    },
  };
}

const container = {
  init(scope: ShareScope) {
    shareScope = scope;
  },
  async get(_module: string) {
    const services = await shared<Services>("@jupyterlite/services");
    const coreutils = await shared<CoreUtils>("@jupyterlab/coreutils");
    const exports = { __esModule: true, default: [plugin(services, coreutils)] };
    return () => exports;
  },
};

const w = window as unknown as { _JUPYTERLAB?: Record<string, unknown> };
(w._JUPYTERLAB ??= {})[NAME] = container;
