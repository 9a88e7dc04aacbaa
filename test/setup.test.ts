// Set-up: `npm install` installs no system package; `npm run setup:browser` installs Debian's
// chromium as root on Debian and otherwise prints the exact command; `.ci/run` installs what a
// fresh Debian machine lacks for the tests.
import { describe, expect, it } from "vitest";
import { spawnSync } from "node:child_process";
import { readFileSync } from "node:fs";
import { join } from "node:path";
import { fileURLToPath } from "node:url";
import { browserSetupPlan, chromiumPath, missingBrowser } from "../scripts/browser.mjs";

const root = fileURLToPath(new URL("..", import.meta.url));
const read = (path: string) => readFileSync(join(root, path), "utf8");

describe("npm install", () => {
  it("runs no package manager of the system (setup.mjs neither calls nor mentions apt-get)", () => {
    const setup = read("scripts/setup.mjs");
    expect(setup).not.toMatch(/apt-get|\bapt\b|dpkg|sudo/);
    expect(JSON.parse(read("package.json")).scripts.postinstall).toBe("node scripts/setup.mjs");
  });
});

describe("katex's commander@15, which asks for Node ≥ 22.12", () => {
  it("is loaded only by katex's own command-line tool, never by the katex library the tutor imports", () => {
    const dir = join(root, "node_modules/katex");
    const pkg = JSON.parse(readFileSync(join(dir, "package.json"), "utf8"));
    expect(pkg.dependencies).toHaveProperty("commander");
    expect(pkg.bin).toBe("cli.js");
    expect(readFileSync(join(dir, "cli.js"), "utf8")).toMatch(/require\("commander"\)/);
    const entry = pkg.exports["."];
    const library = [pkg.main, entry.require.default, entry.import.default];
    expect(library.length).toBe(3);
    for (const file of library) expect(readFileSync(join(dir, file), "utf8"), file).not.toContain("commander");
  });
});

describe("npm run setup:browser", () => {
  it("is a script of package.json", () => {
    expect(JSON.parse(read("package.json")).scripts["setup:browser"]).toBe("node scripts/setup-browser.mjs");
  });

  it("as root on Debian without chromium: apt-get update, then apt-get install chromium", () => {
    const plan = browserSetupPlan({ chromium: undefined, uid: 0, os: "debian" });
    expect(plan.action).toBe("install");
    expect(plan.commands).toEqual([
      ["apt-get", "update", "-qq"],
      ["apt-get", "install", "-y", "-qq", "chromium"],
    ]);
  });

  it("as another user on Debian: installs nothing and prints the exact command", () => {
    const plan = browserSetupPlan({ chromium: undefined, uid: 1000, os: "debian" });
    expect(plan).toMatchObject({ action: "instruct", commands: [] });
    expect(plan.message).toContain("sudo apt-get update && sudo apt-get install -y chromium");
  });

  it("on another system, even as root: installs nothing, says where the browser must be and Debian's command", () => {
    const plan = browserSetupPlan({ chromium: undefined, uid: 0, os: "fedora" });
    expect(plan).toMatchObject({ action: "instruct", commands: [] });
    expect(plan.message).toContain("not Debian (fedora)");
    expect(plan.message).toContain("/usr/bin/chromium");
  });

  it("with chromium already there: nothing to do, on this machine too", () => {
    expect(browserSetupPlan({ chromium: "/usr/bin/chromium", uid: 0, os: "debian" })).toMatchObject({
      action: "none",
      commands: [],
    });
    const here = chromiumPath();
    const r = spawnSync(process.execPath, [join(root, "scripts/setup-browser.mjs")], {
      encoding: "utf8",
      env: { ...process.env, PATH: "/nonexistent" },
    });
    if (here) expect([r.status, r.stdout]).toEqual([0, `[setup:browser] chromium is installed: ${here}\n`]);
    else expect(r.stdout).toMatch(/^\[setup:browser\] /);
  });

  it("the browser test's one-line reason for a skip names the script", () => {
    expect(missingBrowser()).toBe(
      chromiumPath()
        ? undefined
        : "no chromium at /usr/bin/chromium; `npm run setup:browser` installs Debian's (or prints the command)",
    );
  });
});

describe(".ci/run", () => {
  it("installs each system package a fresh Debian machine lacks for the tests: chromium, bubblewrap, python3-venv", () => {
    const ci = read(".ci/run");
    const installed = [...ci.matchAll(/missing\+=\(([\w.-]+)\)/g)].map((m) => m[1]);
    expect(installed.sort()).toEqual(["bubblewrap", "chromium", "python3-venv"]);
    expect(ci).toMatch(/apt-get install -y -qq "\$\{missing\[@\]\}"/);
    expect(ci).toMatch(/^npm test$/m);
  });
});
