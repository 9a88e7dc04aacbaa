// `npm run setup:browser`: Debian's chromium for the browser tests. As root on Debian it installs
// the package with apt-get; anywhere else it prints the exact command and installs nothing.
// Exit code 0 when chromium is there or the command was printed, 1 when installing failed.
import { execFileSync } from "node:child_process";
import { browserSetupPlan, chromiumPath, osId } from "./browser.mjs";

const plan = browserSetupPlan({ chromium: chromiumPath(), uid: process.getuid?.(), os: osId() });
console.log(`[setup:browser] ${plan.message}`);
for (const [cmd, ...args] of plan.commands) {
  try {
    execFileSync(cmd, args, { stdio: "inherit", env: { ...process.env, DEBIAN_FRONTEND: "noninteractive" } });
  } catch (err) {
    console.error(
      `[setup:browser] failed: ${cmd} ${args.join(" ")} (exit ${err.status ?? err.code}); see the error above.`,
    );
    process.exit(1);
  }
}
if (plan.action === "install") {
  const installed = chromiumPath();
  if (!installed) {
    console.error("[setup:browser] apt-get finished but no /usr/bin/chromium appeared.");
    process.exit(1);
  }
  console.log(`[setup:browser] done: ${installed}`);
}
