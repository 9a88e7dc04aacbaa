// Types of browser.mjs for the tests, which are type-checked (tsconfig.test.json).
export declare const CHROMIUM_CANDIDATES: string[];
export declare function chromiumPath(): string | undefined;
export declare function missingBrowser(): string | undefined;
export declare function osId(): string | undefined;
export declare function browserSetupPlan(machine: {
  chromium: string | undefined;
  uid: number | undefined;
  os: string | undefined;
}): {
  action: "none" | "install" | "instruct";
  message: string;
  commands: string[][];
};
