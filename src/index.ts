// The public entry point: notebooks import from "../dist/index", the CLI and tests from here.
export * from "./engine/numeric.js";
export * from "./engine/errors.js";
export * from "./engine/activations.js";
export * from "./engine/losses.js";
export * from "./engine/spec.js";
export * from "./engine/notation.js";
export * from "./engine/trace.js";
export * from "./engine/network.js";
export * from "./engine/matrix.js";
export * from "./engine/normalise.js";
