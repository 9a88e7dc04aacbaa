// The entry of the TypeScript kernel's V8 startup snapshot (src/exercises/kernel-snapshot.ts builds
// it with `node --build-snapshot`). A tslab kernel spent ~4 s of CPU starting: ~0.7 s loading
// TypeScript, the rest parsing and binding the standard library and @types/node (2.4 MB) for its
// first program, and ~0.5 s more on the engine's declarations at a notebook's first import. The
// snapshot holds TypeScript already loaded and those files already parsed and bound; a kernel
// started from it reuses them (same text, same language version) and parses everything else as
// usual. Only Node's built-in modules can be loaded here: TypeScript is read and evaluated by hand
// (see PATCHES).
"use strict";
const { readFileSync } = require("node:fs");
const { dirname, join, resolve } = require("node:path");
const { startupSnapshot } = require("node:v8");

const tsFile = process.env.BPT_SNAPSHOT_TS;
const typeRoots = [process.env.BPT_SNAPSHOT_TYPES];
if (!tsFile || !typeRoots[0])
  throw new Error("BPT_SNAPSHOT_TS and BPT_SNAPSHOT_TYPES name TypeScript and the @types folder");

// Two lines of TypeScript changed: its compiler host asks the cache first where it creates a source
// file from a file it read (createGetSourceFile), and its working folder is asked each time, not
// remembered from the moment the snapshot was made.
const PATCHES = [
  [
    "return text !== void 0 ? createSourceFile(fileName, text, languageVersionOrOptions, setParentNodes) : void 0;",
    "return text !== void 0 ? (globalThis.__bptCachedSourceFile?.(fileName, text, languageVersionOrOptions) ?? createSourceFile(fileName, text, languageVersionOrOptions, setParentNodes)) : void 0;",
  ],
  ["const getCurrentDirectory = memoize(() => process.cwd());", "const getCurrentDirectory = () => process.cwd();"],
];
let source = readFileSync(tsFile, "utf8");
for (const [from, to] of PATCHES) {
  if (source.split(from).length !== 2)
    throw new Error(`${tsFile}: \`${from}\` is not there once (another TypeScript?)`);
  source = source.replace(from, to);
}
const module_ = { exports: {} };
// TypeScript's own CommonJS file, evaluated as Node would
new Function("exports", "require", "module", "__filename", "__dirname", `${source}\n//# sourceURL=${tsFile}`)(
  module_.exports,
  require,
  module_,
  tsFile,
  dirname(tsFile),
);
const ts = module_.exports;

// tslab's compiler options (its converter.js, for Node 18 and later), in a program of one empty file
const options = {
  module: ts.ModuleKind.ESNext,
  moduleResolution: ts.ModuleResolutionKind.Node10,
  esModuleInterop: true,
  target: ts.ScriptTarget.ES2022,
  lib: ["lib.es2022.d.ts"],
  declaration: true,
  newLine: ts.NewLineKind.LineFeed,
  noImplicitUseStrict: true,
  experimentalDecorators: true,
  resolveJsonModule: true,
  jsx: ts.JsxEmit.React,
  typeRoots,
  allowJs: true,
  checkJs: true,
  skipLibCheck: true,
  noEmit: true,
};
const root = join(dirname(typeRoots[0]), "__bpt_snapshot__.ts");
const host = ts.createCompilerHost(options);
const hostGet = host.getSourceFile;
host.getSourceFile = (name, ...rest) =>
  name === root ? ts.createSourceFile(root, "export {};\n", ts.ScriptTarget.ES2022) : hostGet(name, ...rest);
const hostExists = host.fileExists;
host.fileExists = (name) => name === root || hostExists(name);
// the engine's declarations too (the first `import … from "../dist/index"` of every notebook);
// they change with each build, and a file whose text changed is simply parsed again
const engine = process.env.BPT_SNAPSHOT_ENGINE;
const roots = engine && ts.sys.fileExists(engine) ? [root, engine] : [root];
const program = ts.createProgram(roots, options, host);
program.getTypeChecker(); // binds every file

/** the library files and the engine's declarations, parsed and bound, by file name */
const cache = new Map();
for (const file of program.getSourceFiles()) if (file.fileName !== root) cache.set(file.fileName, file);

function cached(fileName, text, languageVersionOrOptions) {
  const file = cache.get(fileName);
  if (!file || file.text !== text) return undefined;
  const wanted =
    typeof languageVersionOrOptions === "object"
      ? languageVersionOrOptions
      : { languageVersion: languageVersionOrOptions };
  if (wanted.languageVersion !== file.languageVersion || wanted.impliedNodeFormat !== file.impliedNodeFormat)
    return undefined;
  return file;
}

startupSnapshot.setDeserializeMainFunction(() => {
  // node --snapshot-blob BLOB SCRIPT ARGS…: SCRIPT runs with this TypeScript and these files
  // ("check-snapshot" for SCRIPT: say how many files it holds)
  const script = process.argv[1];
  if (script === "check-snapshot") {
    process.stdout.write(`${cache.size} files\n`);
    return;
  }
  // Node takes Error.stackTraceLimit out of a snapshot and (in Node 20) does not put it back: errors
  // would print as "[Error: …]" with no stack
  if (typeof Error.stackTraceLimit !== "number") Error.stackTraceLimit = 10;
  globalThis.__bptCachedSourceFile = cached;
  const Module = require("node:module");
  const load = Module._load;
  Module._load = function (request, ...rest) {
    return request === "@tslab/typescript-for-tslab" ? ts : load.call(this, request, ...rest);
  };
  const file = resolve(script);
  Module.createRequire(file)(file);
});
