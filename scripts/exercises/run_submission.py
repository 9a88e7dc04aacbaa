"""Execute one prepared submission on the tslab kernel, headless, and report per cell.

Called by the grader (src/exercises/grade.ts), one process per submission:

    .venv/bin/python scripts/exercises/run_submission.py NOTEBOOK RESULT.json --cwd WORKDIR \
        --cell-timeout 10 --max-output 65536 --pid-file PIDS --max-restarts 3 \
        [--uid 60000] [--memory-mb 2048]

Why this is not `jupyter nbconvert --execute`: a hostile classroom. A cell that never ends must
cost only that cell, not the whole notebook, so a timed-out cell is skipped: the kernel (which
an infinite loop in Node cannot be interrupted out of) is killed, a fresh one replays the cells
that ran before, and execution goes on after the bad cell. Output is capped per cell so that a
print loop cannot fill memory or the feedback. Errors in student cells do not stop the run.

The sandbox (the grader decides, src/exercises/run.ts): this runner stays the grader's user
and only the kernel is confined. With --uid (the grader runs as root) the kernel is started
through `setpriv` as that unprivileged uid, with no groups and no new privileges, so it cannot
read the root-only answer key or write to the project; its connection file is handed to that
uid. `prlimit` caps its memory (RLIMIT_DATA), file size and, with --uid, its processes. The
kernel gets /dev/null for stdout and stderr: it must not hold the grader's pipes open. Its pid
is written to --pid-file the moment it is launched, so a kernel that is slow to start can still
be killed on the grader's notebook limit.

The result file lists every cell: status (ok | error | timeout | skipped), the error name and
value, whether its output was truncated, and the text it printed (capped). The grader reads the
test cells' marker lines from it; nothing here knows about points or the answer key.
"""

from __future__ import annotations

import argparse
import asyncio
import json
import os
import re
import shutil
import subprocess
import sys
import time
from typing import Any

import nbformat
from jupyter_client import AsyncKernelManager
from nbclient import NotebookClient
from nbclient.exceptions import CellTimeoutError, DeadKernelError


class CappedClient(NotebookClient):
    """A client that keeps at most `max_output` characters of output per cell."""

    max_output = 65536

    def __init__(self, nb: Any, **kw: Any) -> None:
        super().__init__(nb, **kw)
        self.out_chars: dict[int, int] = {}
        self.truncated: set[int] = set()

    def output(self, outs: list[Any], msg: dict[str, Any], display_id: str | None, cell_index: int) -> Any:
        out = super().output(outs, msg, display_id, cell_index)
        if out is None:
            return out
        used = self.out_chars.get(cell_index, 0) + len(json.dumps(out))
        self.out_chars[cell_index] = used
        if used > self.max_output:
            # drop it: the cell keeps the output it had before going over the cap
            if outs and outs[-1] is out:
                outs.pop()
            self.truncated.add(cell_index)
        return out


def kernel_prefix(uid: int | None, memory_mb: int) -> list[str]:
    """What the kernel's command line is prefixed with: the uid switch, then the limits."""
    prefix: list[str] = []
    if uid is not None:
        setpriv = shutil.which("setpriv")
        if not setpriv:
            raise RuntimeError("--uid needs setpriv (util-linux), which is not on PATH")
        prefix += [setpriv, f"--reuid={uid}", f"--regid={uid}", "--clear-groups", "--no-new-privs", "--"]
    prlimit = shutil.which("prlimit")
    if prlimit and memory_mb > 0:
        # RLIMIT_DATA, not RLIMIT_AS: V8 and WebAssembly reserve far more address space than they use
        prefix += [prlimit, f"--data={memory_mb * 2**20}", f"--fsize={256 * 2**20}"]
        if uid is not None:
            prefix.append("--nproc=128")  # per uid: only this kernel's processes count
        prefix.append("--")
    return prefix


class SandboxedKernelManager(AsyncKernelManager):
    """A kernel manager that starts the kernel through `prefix`, as `owner`, and records its pid."""

    prefix: list[str] = []
    owner: int | None = None
    pid_file = ""

    def format_kernel_cmd(self, extra_arguments: list[str] | None = None) -> list[str]:
        return self.prefix + super().format_kernel_cmd(extra_arguments)

    def write_connection_file(self, **kw: Any) -> None:
        super().write_connection_file(**kw)
        if self.owner is not None:  # written 0600 by us; the kernel must read it
            os.chown(self.connection_file, self.owner, self.owner)

    async def _async_launch_kernel(self, kernel_cmd: list[str], **kw: Any) -> None:
        await super()._async_launch_kernel(kernel_cmd, **kw)
        pid = getattr(self.provisioner, "pid", None)
        if pid and self.pid_file:
            with open(self.pid_file, "a") as f:
                f.write(f"{pid}\n")


def cell_text(cell: Any) -> str:
    """Everything a cell printed as text (stream and text/plain), which is where markers are."""
    parts: list[str] = []
    for o in cell.get("outputs", []):
        if o.get("output_type") == "stream":
            parts.append(o.get("text", ""))
        elif o.get("output_type") in ("execute_result", "display_data"):
            parts.append(str(o.get("data", {}).get("text/plain", "")))
    return "".join(parts)


def cell_error(cell: Any) -> tuple[str, str] | None:
    """The cell's error. tslab reports compile and runtime errors as stderr text, not as an
    `error` output, so stderr counts as an error too (a cell that logs with console.error
    is then reported as an error; that is only a label, nothing is graded on it)."""
    for o in cell.get("outputs", []):
        if o.get("output_type") == "error":
            return str(o.get("ename", "")), str(o.get("evalue", ""))
    for o in cell.get("outputs", []):
        if o.get("output_type") == "stream" and o.get("name") == "stderr":
            lines = [l for l in str(o.get("text", "")).splitlines() if l.strip()]
            named = [l for l in lines if re.match(r"^\s*\w*(Error|Exception)\b", l)]
            return "stderr", (named[0] if named else (lines[0] if lines else "")).strip()
    return None


async def run(args: argparse.Namespace) -> dict[str, Any]:
    nb = nbformat.read(args.notebook, as_version=4)
    SandboxedKernelManager.prefix = kernel_prefix(args.uid, args.memory_mb)
    SandboxedKernelManager.owner = args.uid
    SandboxedKernelManager.pid_file = args.pid_file
    client = CappedClient(
        nb,
        kernel_name="tslab",
        timeout=args.cell_timeout,
        startup_timeout=60,
        allow_errors=True,
        interrupt_on_timeout=False,
        shutdown_kernel="immediate",
        kernel_manager_class=SandboxedKernelManager,
        resources={"metadata": {"path": args.cwd}},
    )
    client.max_output = args.max_output
    code = [i for i, c in enumerate(nb.cells) if c.cell_type == "code"]
    status: dict[int, dict[str, Any]] = {}
    ran_ok: list[int] = []  # cells to replay after a restart
    restarts = 0
    # a kernel that never came up is the machine's fault (a loaded machine can take a minute), not
    # the student's: start it again, with more patience, before giving up
    start_failures: list[str] = []
    pos = 0
    while pos < len(code):
        if restarts > args.max_restarts:
            for i in code[pos:]:
                status[i] = {"status": "skipped", "reason": "too many kernel restarts"}
            break
        client.km = None
        client.kc = None
        client.startup_timeout = 60 * (1 + len(start_failures))
        started = False
        try:
            # the kernel must not inherit our stdout/stderr (the grader waits on them)
            async with client.async_setup_kernel(stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL):
                started = True
                if args.ready_file and not os.path.exists(args.ready_file):
                    # the grader's whole-notebook limit counts from here
                    open(args.ready_file, "w").close()
                for i in ran_ok:  # replay what ran before the restart; its outputs are not kept
                    replay = nbformat.from_dict(json.loads(json.dumps(nb.cells[i])))
                    await client.async_execute_cell(replay, i)
                while pos < len(code):
                    i = code[pos]
                    pos += 1
                    try:
                        await client.async_execute_cell(nb.cells[i], i)
                    except CellTimeoutError:
                        status[i] = {"status": "timeout", "reason": f"did not finish within {args.cell_timeout} s"}
                        restarts += 1
                        break  # leave the context: the kernel is killed, a new one replays
                    except DeadKernelError:
                        status[i] = {"status": "error", "reason": "the kernel died"}
                        restarts += 1
                        break
                    err = cell_error(nb.cells[i])
                    if err:
                        status[i] = {"status": "error", "ename": err[0], "evalue": err[1][:500]}
                        # tslab drops requests for ~200 ms after a cell raises
                        await asyncio.sleep(0.3)
                    else:
                        status[i] = {"status": "ok"}
                        ran_ok.append(i)
        except RuntimeError as e:
            if started:
                raise
            start_failures.append(str(e)[:200])
            if len(start_failures) >= 3:
                raise RuntimeError(f"the kernel did not start in {len(start_failures)} tries ({start_failures[-1]}); grade this student again later (--regrade)") from e
            continue
        except (CellTimeoutError, DeadKernelError) as e:
            # a replayed cell misbehaved this time: give up on the rest rather than loop
            for i in code[pos:]:
                status.setdefault(i, {"status": "skipped", "reason": f"kernel lost during replay ({type(e).__name__})"})
            break
    cells = []
    for i, c in enumerate(nb.cells):
        if c.cell_type != "code":
            continue
        entry = {"index": i, **status.get(i, {"status": "skipped", "reason": "not reached"})}
        entry["meta"] = c.get("metadata", {}).get("backprop_tutor")
        entry["truncated"] = i in client.truncated
        entry["text"] = cell_text(c)[: args.max_output]
        cells.append(entry)
    return {"cells": cells, "restarts": restarts, "kernelStartRetries": len(start_failures)}


def main() -> int:
    p = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    p.add_argument("notebook")
    p.add_argument("result")
    p.add_argument("--cwd", required=True, help="the kernel's working directory")
    p.add_argument("--cell-timeout", type=int, default=10)
    p.add_argument("--max-output", type=int, default=65536)
    p.add_argument("--max-restarts", type=int, default=3)
    p.add_argument("--pid-file", default="")
    p.add_argument("--ready-file", default="", help="touched when the first kernel is ready (the grader's time limit starts then)")
    p.add_argument("--uid", type=int, default=None, help="run the kernel as this uid (needs root and setpriv)")
    p.add_argument("--memory-mb", type=int, default=0, help="the kernel's data-segment limit (0: none)")
    args = p.parse_args()
    started = time.monotonic()
    try:
        result = asyncio.run(run(args))
    except Exception as e:  # noqa: BLE001 - anything here is reported to the grader, not raised
        result = {"fatal": f"{type(e).__name__}: {str(e)[:500]}", "cells": [], "restarts": 0}
    result["seconds"] = round(time.monotonic() - started, 2)
    with open(args.result, "w") as f:
        json.dump(result, f)
    return 0


if __name__ == "__main__":
    sys.exit(main())
