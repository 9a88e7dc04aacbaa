// One notebook cell, TypeScript, turned into JavaScript that the browser kernel can run so that it
// behaves as in tslab: names declared at the top level (const, let, var, function, class, import)
// stay defined for the cells that follow, `await` works at the top level, and the value of a last
// bare expression is shown. Types are stripped by sucrase (a transpiler, no type check); acorn
// finds the top-level statements, which are rewritten in place:
//   const {a, b} = f();      ->  ({a, b} = f());          (the names live in the kernel's scope)
//   class C {}               ->  C = class C {};
//   function g() {}          ->  kept, and `__bpt.scope.g = g;` at the top (it is hoisted)
//   import { x as y } from "m"  ->  { const __m = await __bpt.load("m"); y = __m.x; }
//   last expression e        ->  return (e);
// The body runs inside `with (scope)`, and every declared name is put in the scope before the cell
// runs, so these assignments land there and later cells read them back (see worker.ts).
import { transform } from "sucrase";
import { parse } from "acorn";
import type { Node, Pattern, Program, Statement, ModuleDeclaration } from "acorn";

export interface CellProgram {
  /** the body of an async function, run with the kernel's scope in a with-block */
  body: string;
  /** names declared at the top level, which the following cells can use */
  declared: string[];
}

/** A syntax error in a cell, with the line and column in the cell as the student wrote it. */
export class CellSyntaxError extends SyntaxError {
  constructor(message: string) {
    super(message);
    this.name = "SyntaxError";
  }
}

interface Edit {
  start: number;
  end: number;
  text: string;
}

/** Every name a binding pattern declares: `{a, b: [c, ...d]} ` declares a, c and d. */
export function patternNames(p: Pattern): string[] {
  switch (p.type) {
    case "Identifier":
      return [p.name];
    case "ObjectPattern":
      return p.properties.flatMap((prop) => patternNames(prop.type === "RestElement" ? prop.argument : prop.value));
    case "ArrayPattern":
      return p.elements.flatMap((e) => (e ? patternNames(e) : []));
    case "RestElement":
      return patternNames(p.argument);
    case "AssignmentPattern":
      return patternNames(p.left);
    default:
      return [];
  }
}

function typeScriptToJavaScript(source: string): string {
  try {
    // keepUnusedImports: a cell that only imports is used by the cells after it
    return transform(source, { transforms: ["typescript"], disableESTransforms: true, keepUnusedImports: true }).code;
  } catch (e) {
    throw new CellSyntaxError((e as Error).message);
  }
}

function parseProgram(js: string): Program {
  try {
    return parse(js, { ecmaVersion: "latest", sourceType: "module", allowAwaitOutsideFunction: true });
  } catch (e) {
    throw new CellSyntaxError((e as Error).message);
  }
}

type TopLevel = Statement | ModuleDeclaration;

function rewriteImport(
  js: string,
  s: Extract<TopLevel, { type: "ImportDeclaration" }>,
  n: number,
  declared: string[],
): string {
  const m = `__m${n}`;
  const from = JSON.stringify(String(s.source.value));
  const assigns = s.specifiers.map((spec) => {
    declared.push(spec.local.name);
    if (spec.type === "ImportNamespaceSpecifier") return `${spec.local.name} = ${m};`;
    if (spec.type === "ImportDefaultSpecifier") return `${spec.local.name} = ${m}.default;`;
    const imported = spec.imported.type === "Identifier" ? spec.imported.name : String(spec.imported.value);
    return `${spec.local.name} = ${m}[${JSON.stringify(imported)}];`;
  });
  return `{ const ${m} = await __bpt.load(${from}); ${assigns.join(" ")} }`;
}

function rewriteVariables(
  js: string,
  s: Extract<TopLevel, { type: "VariableDeclaration" }>,
  declared: string[],
): string {
  const parts = s.declarations.map((d) => {
    declared.push(...patternNames(d.id));
    const target = js.slice(d.id.start, d.id.end);
    const value = d.init ? js.slice(d.init.start, d.init.end) : "undefined";
    return `(${target} = ${value})`;
  });
  return parts.join(", ") + ";";
}

/** The edit for one top-level statement, or none when it stays as written. */
function rewriteStatement(
  js: string,
  s: TopLevel,
  n: number,
  isLast: boolean,
  declared: string[],
  hoisted: string[],
): Edit | undefined {
  const at = (text: string): Edit => ({ start: s.start, end: s.end, text });
  switch (s.type) {
    case "ImportDeclaration":
      return at(rewriteImport(js, s, n, declared));
    case "VariableDeclaration":
      return at(rewriteVariables(js, s, declared));
    case "ClassDeclaration":
      declared.push(s.id.name);
      return at(`${s.id.name} = ${js.slice(s.start, s.end)};`);
    case "FunctionDeclaration":
      declared.push(s.id.name);
      hoisted.push(s.id.name);
      return undefined;
    case "ExportNamedDeclaration":
      if (s.declaration) {
        const inner = rewriteStatement(js, s.declaration, n, false, declared, hoisted);
        return {
          start: s.start,
          end: s.end,
          text: inner ? inner.text : js.slice(s.declaration.start, s.declaration.end),
        };
      }
      return at("");
    case "ExpressionStatement":
      if (isLast && !("directive" in s && s.directive))
        return at(`return (${js.slice(s.expression.start, s.expression.end)});`);
      return undefined;
    default:
      return undefined;
  }
}

function applyEdits(js: string, edits: Edit[]): string {
  let out = "";
  let pos = 0;
  for (const e of edits) {
    out += js.slice(pos, e.start) + e.text;
    pos = e.end;
  }
  return out + js.slice(pos);
}

/** A cell's TypeScript as the body the kernel runs, and the names it declares. */
export function rewriteCell(source: string): CellProgram {
  const js = typeScriptToJavaScript(source);
  const program = parseProgram(js);
  const declared: string[] = [];
  const hoisted: string[] = [];
  const edits: Edit[] = [];
  program.body.forEach((s: Node, i) => {
    const edit = rewriteStatement(js, s as TopLevel, i, i === program.body.length - 1, declared, hoisted);
    if (edit) edits.push(edit);
  });
  const hoist = hoisted.map((name) => `__bpt.scope[${JSON.stringify(name)}] = ${name};`).join(" ");
  return { body: (hoist ? hoist + "\n" : "") + applyEdits(js, edits), declared: [...new Set(declared)] };
}
