// Types of import-graph.mjs for the tests, which are type-checked (tsconfig.test.json).
export declare const SRC: string;
export declare const EXTENSION: string;
export declare function sourceFiles(dir: string): string[];
export declare function importsOf(file: string): { local: string[]; builtins: string[] };
export declare function moduleName(file: string): string;
export declare function importGraph(): Map<string, string[]>;
export declare function reachable(entries: string[]): Map<string, string[]>;
export declare function extensionInputs(): string[];
export declare const LAYERS: string[][];
export declare function partOf(module: string): string;
export declare function layerOf(module: string): number | undefined;
export declare function structureDot(graph: Map<string, string[]>): string;
