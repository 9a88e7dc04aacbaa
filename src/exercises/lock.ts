// One grading at a time per output folder: a second `grade` on the same folder waits for the
// first to finish (saying so), then grades what is left, so two runs started together never
// write the same student's result or the gradebooks at once. The lock is a file made with
// O_EXCL holding the holder's pid; one whose holder has died (kill -9) is taken over.
import { open, readFile, rename, stat, unlink } from "node:fs/promises";
import { join } from "node:path";

export const LOCK = ".grading.lock";

function alive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (e) {
    return (e as NodeJS.ErrnoException).code === "EPERM";
  }
}

async function holder(path: string): Promise<number | undefined> {
  const text = await readFile(path, "utf8").catch(() => "");
  const pid = Number(text.trim());
  return Number.isInteger(pid) && pid > 0 ? pid : undefined;
}

/** Removes a lock whose holder is gone, unless another waiter replaced it meanwhile (moved aside first, then checked). */
async function breakStale(path: string, stalePid: number | undefined): Promise<void> {
  const aside = `${path}.stale-${process.pid}`;
  try {
    await rename(path, aside);
  } catch {
    return; // gone already
  }
  const moved = await holder(aside);
  // someone took it over between our look and the rename: put theirs back
  if (moved !== stalePid && moved !== undefined && alive(moved)) await rename(aside, path).catch(() => {});
  else await unlink(aside).catch(() => {});
}

/**
 * Takes the output folder's lock, waiting while another live grading holds it (`onWait` once,
 * with its pid). Returns the release function.
 */
export async function lockOutput(
  dir: string,
  onWait: (pid: number) => void,
  pollMs = 500,
): Promise<() => Promise<void>> {
  const path = join(dir, LOCK);
  let told = false;
  for (;;) {
    try {
      const handle = await open(path, "wx", 0o600);
      await handle.writeFile(`${process.pid}\n`);
      await handle.close();
      return () => unlink(path).catch(() => {});
    } catch (e) {
      if ((e as NodeJS.ErrnoException).code !== "EEXIST") throw e;
    }
    const pid = await holder(path);
    // a lock just made may not hold its pid yet: stale is a dead pid, or no pid for seconds
    const age = await stat(path).then(
      (s) => Date.now() - s.mtimeMs,
      () => 0,
    );
    if (pid !== undefined ? !alive(pid) : age > 10_000) {
      await breakStale(path, pid);
      continue;
    }
    if (!told && pid !== undefined) {
      told = true;
      onWait(pid);
    }
    await new Promise((r) => setTimeout(r, pollMs));
  }
}
