// Debian's chromium for the browser tests (never a test tool's own browser download), shared by
// `npm run setup:browser`, `npm install`'s closing note, `npm test` and the browser tests.
// `npm install` itself installs no system package.
import { existsSync, readFileSync } from "node:fs";

export const CHROMIUM_CANDIDATES = ["/usr/bin/chromium", "/usr/bin/chromium-browser"];

/** @returns {string | undefined} the browser the tests drive, if there is one */
export function chromiumPath() {
  return CHROMIUM_CANDIDATES.find((p) => existsSync(p));
}

/** @returns {string | undefined} why the browser test cannot run for want of a browser */
export function missingBrowser() {
  return chromiumPath()
    ? undefined
    : "no chromium at /usr/bin/chromium; `npm run setup:browser` installs Debian's (or prints the command)";
}

/** @returns {string | undefined} the ID of /etc/os-release ("debian", "ubuntu", ...) */
export function osId() {
  try {
    return /^ID="?([^"\n]*)"?$/m.exec(readFileSync("/etc/os-release", "utf8"))?.[1];
  } catch {
    return undefined;
  }
}

const DEBIAN_COMMAND = "sudo apt-get update && sudo apt-get install -y chromium";

/**
 * What `npm run setup:browser` does on a machine: nothing when chromium is there; as root on
 * Debian, install Debian's package; otherwise print the exact command.
 * @param {{ chromium: string | undefined, uid: number | undefined, os: string | undefined }} machine
 * @returns {{ action: "none" | "install" | "instruct", message: string, commands: string[][] }}
 */
export function browserSetupPlan({ chromium, uid, os }) {
  if (chromium) return { action: "none", message: `chromium is installed: ${chromium}`, commands: [] };
  if (os === "debian" && uid === 0) {
    return {
      action: "install",
      message: "installing Debian's chromium: apt-get update; apt-get install -y chromium",
      commands: [
        ["apt-get", "update", "-qq"],
        ["apt-get", "install", "-y", "-qq", "chromium"],
      ],
    };
  }
  if (os === "debian")
    return {
      action: "instruct",
      message: `no chromium found. Install Debian's package as root:\n  ${DEBIAN_COMMAND}`,
      commands: [],
    };
  return {
    action: "instruct",
    message: `no chromium found, and this is not Debian (${os ?? "unknown system"}), so nothing was installed. Install Chromium so that ${CHROMIUM_CANDIDATES.join(" or ")} exists; on Debian: ${DEBIAN_COMMAND}`,
    commands: [],
  };
}
