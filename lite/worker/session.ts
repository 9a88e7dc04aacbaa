// One kernel session: the scope that the cells' top-level names live in, from the first cell
// until a restart. Used by the worker (worker.ts) and, in Node, by the tests.
import { rewriteCell } from "./rewrite.js";

export interface Session {
  /** runs one cell; resolves with the value of its last bare expression (undefined if none) */
  run(code: string): Promise<unknown>;
  readonly scope: Record<string, unknown>;
}

/** A session whose cells import modules through `load` (by the name they use under tslab). */
export function createSession(load: (specifier: string) => Promise<object>): Session {
  // no prototype: a cell's `toString` or `constructor` is its own name, not Object's
  const scope: Record<string, unknown> = Object.create(null);
  const runtime = { scope, load };
  return {
    scope,
    async run(code) {
      const program = rewriteCell(code);
      for (const name of program.declared) if (!(name in scope)) scope[name] = undefined;
      // indirect eval: global, non-strict code, where the with-block is allowed
      const wrapped = (0, eval)(
        `(function (__bpt) { with (__bpt.scope) { return (async () => {\n${program.body}\n})(); } })`,
      ) as (r: typeof runtime) => Promise<unknown>;
      return wrapped(runtime);
    },
  };
}
