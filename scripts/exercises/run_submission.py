"""Execute one prepared submission on the tslab kernel, headless, and report per cell.

Called by the grader (src/exercises/run.ts), one process per submission, inside that student's
sandbox (src/exercises/sandbox.ts: bubblewrap namespaces, the runtime read-only, private tmpfs
scratch folders, no network):

    python scripts/exercises/run_submission.py --cell-timeout 10 --max-output 65536 \
        [--max-restarts 3]  < NOTEBOOK.ipynb  3> RESULT

The notebook comes on stdin and the result goes to file descriptor 3, so nothing is exchanged
through files a student's code could replace. On fd 3 the runner writes `ready` and a newline
when the first kernel is up (the grader's whole-notebook limit counts from then), then `result`,
a space and the result as one line of JSON. The runner makes itself non-dumpable, so the
student's kernel, although the same uid, cannot open the runner's fds or trace it.

Why this is not `jupyter nbconvert --execute`: a hostile classroom. A cell that never ends must
cost only that cell, not the whole notebook, so a timed-out cell is skipped: the kernel (which
an infinite loop in Node cannot be interrupted out of) is killed, a fresh one replays the cells
that ran before, and execution goes on after the bad cell. Output is capped per cell so that a
print loop cannot fill memory or the feedback. Errors in student cells do not stop the run.

The result lists every cell: status (ok | error | timeout | skipped), the error name and value,
whether its output was truncated, and the text it printed (capped). The grader reads the test
cells' marker lines from it; nothing here knows about points or the answer key. Its limits
(memory, processes, CPU, time) are the grader's: they hold the sandbox as a whole.
"""

from __future__ import annotations

import argparse
import asyncio
import ctypes
import json
import os
import re
import subprocess
import sys
import time
from typing import Any

# jsonschema (under nbformat) imports rfc3987_syntax for its "iri" format check, and that module
# builds a parser as it is imported: about 3 s of CPU in every process, here for nothing (no
# notebook schema uses the format). None in sys.modules makes the import fail, and jsonschema then
# leaves that one format unchecked, as it does wherever the package is not installed.
sys.modules.setdefault("rfc3987_syntax", None)  # type: ignore[assignment]

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


# what all the cells' text together may come to in the result, as JSON writes it (the grader reads at most 64 MB)
RESULT_TEXT_BUDGET = 8 * 2**20

KERNEL_STDERR = os.path.join(os.environ.get("TMPDIR", "/tmp"), "kernel-stderr.txt")


class QuietKernelManager(AsyncKernelManager):
    """A kernel manager whose kernels write their stderr to a file (read only to tell a V8 out-of-memory abort)."""

    async def _async_launch_kernel(self, kernel_cmd: list[str], **kw: Any) -> None:
        kw["stderr"] = open(KERNEL_STDERR, "ab")
        await super()._async_launch_kernel(kernel_cmd, **kw)


def kernel_ran_out_of_memory() -> bool:
    """Whether the last kernel that died said V8 ran out of heap (Node's --max-old-space-size)."""
    try:
        with open(KERNEL_STDERR, "rb") as f:
            f.seek(0, 2)
            f.seek(max(0, f.tell() - 65536))
            tail = f.read()
        return b"heap out of memory" in tail or b"Reached heap limit" in tail
    except OSError:
        return False


def not_dumpable() -> None:
    """PR_SET_DUMPABLE 0: the student's kernel (same uid) cannot ptrace us or open /proc/<us>/fd/3."""
    try:
        ctypes.CDLL(None, use_errno=True).prctl(4, 0, 0, 0, 0)
    except (OSError, AttributeError):
        pass


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


async def run(args: argparse.Namespace, out: Any) -> dict[str, Any]:
    ready_sent = False
    nb = nbformat.reads(sys.stdin.read(), as_version=4)
    client = CappedClient(
        nb,
        kernel_name="tslab",
        # nbclient's `timeout` trait takes whole seconds only; its timeout_func may return any number
        timeout_func=lambda _cell: args.cell_timeout,
        startup_timeout=60,
        allow_errors=True,
        interrupt_on_timeout=False,
        shutdown_kernel="immediate",
        kernel_manager_class=QuietKernelManager,
        resources={"metadata": {"path": os.getcwd()}},
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
            # the kernel must not inherit our stdout (stderr goes to KERNEL_STDERR)
            async with client.async_setup_kernel(stdout=subprocess.DEVNULL):
                started = True
                if not ready_sent:
                    # the grader's whole-notebook limit counts from here
                    out.write("ready\n")
                    out.flush()
                    ready_sent = True
                for i in ran_ok:  # replay what ran before the restart; its outputs are not kept
                    replay = nbformat.from_dict(json.loads(json.dumps(nb.cells[i])))
                    await client.async_execute_cell(replay, i)
                while pos < len(code):
                    i = code[pos]
                    pos += 1
                    try:
                        await client.async_execute_cell(nb.cells[i], i)
                    except CellTimeoutError:
                        status[i] = {"status": "timeout", "reason": f"did not finish within {args.cell_timeout:g} s"}
                        restarts += 1
                        break  # leave the context: the kernel is killed, a new one replays
                    except DeadKernelError:
                        oom = kernel_ran_out_of_memory()
                        status[i] = {"status": "error", "reason": "the kernel ran out of memory" if oom else "the kernel died", "oom": oom}
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
        except (CellTimeoutError, DeadKernelError) as e:
            # a replayed cell misbehaved this time: give up on the rest rather than loop
            # (before RuntimeError: DeadKernelError is one, and a kernel the student's code killed is not the machine's fault)
            for i in code[pos:]:
                status.setdefault(i, {"status": "skipped", "reason": f"kernel lost during replay ({type(e).__name__})"})
            break
        except Exception as e:  # noqa: BLE001 - sorted into the machine's fault or the student's below
            if not ready_sent:
                # the first kernel never came up: the machine's fault, tried again with more patience
                if not isinstance(e, RuntimeError):
                    raise
                start_failures.append(str(e)[:200])
                if len(start_failures) >= 3:
                    raise RuntimeError(f"the kernel did not start in {len(start_failures)} tries ({start_failures[-1]}); grade this student again later (--regrade)") from e
                continue
            if isinstance(e, RuntimeError) and not started:
                start_failures.append(str(e)[:200])
                if len(start_failures) < 3:
                    continue
            # once the student's code has run, a kernel that cannot start again (a scratch folder
            # filled with files, say) or is lost is their run's doing: the rest of the cells are skipped
            why = f"{type(e).__name__}: {str(e)[:200]}"
            for i in code[pos:]:
                status.setdefault(i, {"status": "skipped", "reason": f"the kernel was lost and could not be started again after your code ran ({why}); a full scratch folder or processes left running can cause this"})
            break
    cells = []
    # the whole result is bounded too (a 20,000-cell notebook printing its fill in each cell)
    budget = RESULT_TEXT_BUDGET
    for i, c in enumerate(nb.cells):
        if c.cell_type != "code":
            continue
        entry = {"index": i, **status.get(i, {"status": "skipped", "reason": "not reached"})}
        meta = c.get("metadata", {}).get("backprop_tutor")
        entry["meta"] = {k: meta[k] for k in ("kind", "id") if isinstance(meta, dict) and isinstance(meta.get(k), str) and len(meta[k]) <= 100}
        full = cell_text(c)[: args.max_output]
        left = max(budget, 0)
        text = full[:left]
        # the budget is of the result as written: JSON writes a character outside ASCII as up to 12 bytes
        if len(json.dumps(text)) > left:
            text = text[: left // 12]
        budget -= len(json.dumps(text))
        entry["truncated"] = i in client.truncated or len(text) < len(full)
        entry["text"] = text
        cells.append(entry)
    return {"cells": cells, "restarts": restarts, "kernelStartRetries": len(start_failures)}


def positive(kind: type) -> Any:
    """The grader's command line accepts positive numbers (seconds may have decimals): so does this."""

    def parse(text: str) -> Any:
        v = kind(text)
        if not v > 0:
            raise argparse.ArgumentTypeError(f"must be positive, got {text}")
        return v

    return parse


def main() -> int:
    p = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    p.add_argument("--cell-timeout", type=positive(float), default=10.0)
    p.add_argument("--max-output", type=positive(int), default=65536)
    p.add_argument("--max-restarts", type=int, default=3)
    args = p.parse_args()
    not_dumpable()
    out = os.fdopen(3, "w")
    started = time.monotonic()
    try:
        result = asyncio.run(run(args, out))
    except Exception as e:  # noqa: BLE001 - anything here is reported to the grader, not raised
        result = {"fatal": f"{type(e).__name__}: {str(e)[:500]}", "cells": [], "restarts": 0}
    result["seconds"] = round(time.monotonic() - started, 2)
    out.write("result " + json.dumps(result) + "\n")
    out.flush()
    return 0


if __name__ == "__main__":
    sys.exit(main())
