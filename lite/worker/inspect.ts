// How the browser kernel prints values (console.log, a cell's last expression), close to Node's
// util.inspect as tslab shows them: strings bare at the top level and quoted inside objects,
// `[ 1, 2 ]`, `{ a: 1 }`, `Map(1) { 'a' => 1 }`, a class name before its fields, two levels deep.
// An object with Node's inspect hook (the engine's errors, decimal.js numbers) prints as it says.
// Long values are not wrapped and grouped into columns as Node does: the text is the same, the
// line breaks may differ (docs/site.md).
const inspectCustom = Symbol.for("nodejs.util.inspect.custom");
const MAX_DEPTH = 2;
const MAX_ITEMS = 100;

type Custom = { [inspectCustom]: (depth: number, options: object, inspect: (v: unknown) => string) => unknown };

function quote(s: string): string {
  const q = s.includes("'") && !s.includes('"') ? '"' : "'";
  return (
    q +
    s
      .replace(/\\/g, "\\\\")
      .replace(/\n/g, "\\n")
      .replace(new RegExp(q, "g"), "\\" + q) +
    q
  );
}

function key(k: string): string {
  return /^[A-Za-z_$][\w$]*$/.test(k) ? k : quote(k);
}

function list(open: string, items: string[], close: string, more: number): string {
  if (more > 0) items.push(`... ${more} more item${more > 1 ? "s" : ""}`);
  return items.length === 0 ? `${open}${close}` : `${open} ${items.join(", ")} ${close}`;
}

function primitive(v: unknown): string | undefined {
  switch (typeof v) {
    case "number":
      return Object.is(v, -0) ? "-0" : String(v);
    case "bigint":
      return `${v}n`;
    case "symbol":
      return v.toString();
    case "undefined":
      return "undefined";
    case "boolean":
      return String(v);
    case "function": {
      const text = Function.prototype.toString.call(v);
      const name = (v as { name?: string }).name;
      if (text.startsWith("class")) return `[class ${name || "(anonymous)"}]`;
      return name ? `[Function: ${name}]` : "[Function (anonymous)]";
    }
    default:
      return v === null ? "null" : undefined;
  }
}

function objectBody(o: object, depth: number, seen: Set<object>): string {
  if (Array.isArray(o)) {
    const shown = o.slice(0, MAX_ITEMS).map((x) => inner(x, depth + 1, seen));
    return list("[", shown, "]", o.length - shown.length);
  }
  if (o instanceof Map) {
    const items = [...o]
      .slice(0, MAX_ITEMS)
      .map(([k, x]) => `${inner(k, depth + 1, seen)} => ${inner(x, depth + 1, seen)}`);
    return list(`Map(${o.size}) {`, items, "}", o.size - items.length);
  }
  if (o instanceof Set) {
    const items = [...o].slice(0, MAX_ITEMS).map((x) => inner(x, depth + 1, seen));
    return list(`Set(${o.size}) {`, items, "}", o.size - items.length);
  }
  if (ArrayBuffer.isView(o) && !(o instanceof DataView)) {
    const arr = Array.from(o as unknown as ArrayLike<number>);
    const shown = arr.slice(0, MAX_ITEMS).map((x) => primitive(x)!);
    return list(`${o.constructor.name}(${arr.length}) [`, shown, "]", arr.length - shown.length);
  }
  const ctor = Object.getPrototypeOf(o)?.constructor?.name;
  const prefix =
    ctor && ctor !== "Object" ? `${ctor} ` : Object.getPrototypeOf(o) === null ? "[Object: null prototype] " : "";
  const items = Object.keys(o).map((k) => `${key(k)}: ${inner((o as Record<string, unknown>)[k], depth + 1, seen)}`);
  return prefix + list("{", items, "}", 0);
}

function inner(v: unknown, depth: number, seen: Set<object>): string {
  if (typeof v === "string") return quote(v);
  return show(v, depth, seen);
}

function show(v: unknown, depth: number, seen: Set<object>): string {
  const p = primitive(v);
  if (p !== undefined) return p;
  if (typeof v === "string") return v;
  const o = v as object;
  if (typeof (o as Partial<Custom>)[inspectCustom] === "function") {
    const out = (o as Custom)[inspectCustom](MAX_DEPTH - depth, {}, (x) => inspect(x));
    return typeof out === "string" ? out : show(out, depth, seen);
  }
  if (o instanceof Error) return o.stack && o.stack.startsWith(`${o.name}: `) ? `${o.name}: ${o.message}` : String(o);
  if (o instanceof Date) return isNaN(o.getTime()) ? "Invalid Date" : o.toISOString();
  if (o instanceof RegExp) return String(o);
  if (seen.has(o)) return "[Circular]";
  if (depth > MAX_DEPTH) return Array.isArray(o) ? "[Array]" : "[Object]";
  seen.add(o);
  try {
    return objectBody(o, depth, seen);
  } finally {
    seen.delete(o);
  }
}

/** One value as Node's util.inspect shows it (strings quoted). */
export function inspect(v: unknown): string {
  return inner(v, 0, new Set());
}

/** console.log's arguments as one line: strings as they are, other values inspected, %s %d %i %f %o %O %j filled in. */
export function formatArgs(args: unknown[]): string {
  const out: string[] = [];
  let rest = args;
  if (typeof args[0] === "string" && args.length > 1 && /%[sdifoOj%]/.test(args[0])) {
    let i = 1;
    const first = args[0].replace(/%([sdifoOj%])/g, (m, c: string) => {
      if (c === "%") return "%";
      if (i >= args.length) return m;
      const a = args[i++];
      if (c === "s") return typeof a === "string" ? a : show(a, 1, new Set());
      if (c === "d" || c === "i") return typeof a === "number" ? String(c === "i" ? Math.trunc(a) : a) : "NaN";
      if (c === "f") return String(Number(a));
      if (c === "j") return JSON.stringify(a);
      return inspect(a);
    });
    out.push(first);
    rest = args.slice(i);
  } else if (args.length > 0) {
    out.push(show(args[0], 0, new Set()));
    rest = args.slice(1);
  }
  for (const a of rest) out.push(show(a, 0, new Set()));
  return out.join(" ");
}
