// The linter (`npm test` runs it; `npx eslint .` by hand): ESLint's and typescript-eslint's
// recommended rules, with no-explicit-any an error everywhere (tests included). Prettier owns
// the layout, so no rule here is about formatting. Type-aware rules are left out: they would
// type-check the project a third time, and `npm test` already does that twice (src/ and tests).
import js from "@eslint/js";
import tseslint from "typescript-eslint";

/** Node's globals, for the plain JavaScript of scripts/ and bench/. */
const node = Object.fromEntries(
  [
    "process",
    "console",
    "Buffer",
    "URL",
    "performance",
    "setTimeout",
    "clearTimeout",
    "setInterval",
    "clearInterval",
    "structuredClone",
    "fetch",
  ].map((name) => [name, "readonly"]),
);

export default tseslint.config(
  {
    ignores: [
      "dist/",
      "node_modules/",
      ".venv/",
      ".tmp/",
      "test-artifacts/",
      "labextension/node_modules/",
      "labextension/lib/",
      "labextension/labext/",
      "notebooks/",
    ],
  },
  js.configs.recommended,
  tseslint.configs.recommended,
  {
    rules: {
      "@typescript-eslint/no-explicit-any": "error",
      // a leading _ marks a name kept on purpose: an override's unused parameter, a key left out of a rest
      "@typescript-eslint/no-unused-vars": [
        "error",
        { argsIgnorePattern: "^_", varsIgnorePattern: "^_", destructuredArrayIgnorePattern: "^_" },
      ],
    },
  },
  {
    // tsconfig's noFallthroughCasesInSwitch checks this with the types, which know that an
    // exhaustive inner switch returns in every case; without them ESLint cannot
    files: ["**/*.ts"],
    rules: { "no-fallthrough": "off" },
  },
  { files: ["**/*.mjs", "**/*.js"], languageOptions: { globals: node } },
  {
    // CommonJS on purpose: the kernel's startup snapshot entry (Node's --build-snapshot runs a script)
    files: ["**/*.cjs"],
    languageOptions: { sourceType: "commonjs", globals: { ...node, require: "readonly", module: "writable" } },
    rules: { "@typescript-eslint/no-require-imports": "off" },
  },
);
