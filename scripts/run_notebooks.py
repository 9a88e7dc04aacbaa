"""Execute notebooks headless on the tslab kernel, JOBS at a time, each on a fresh kernel, and report
each as one JSON line when it ends: {"notebook", "ok", "seconds"}, and where it failed, the cell,
ename, evalue and the cell's first lines.

    run_notebooks.py CWD CELL_TIMEOUT JOBS NOTEBOOK OUT [NOTEBOOK OUT ...]

Called by scripts/run-notebooks.mjs (which prints the summary): one Python process for all of
them, since each start pays for importing nbclient and nbformat (most of a second of CPU).
The notebook runs with its own folder as the working directory, as in JupyterLab, so its
`import ... from "../dist/index"` resolves. Outputs are never written back into notebooks/.
"""
import asyncio
import json
import re
import sys
import time

# jsonschema (under nbformat) imports rfc3987_syntax for its "iri" format check, and that module
# builds a parser as it is imported: about 3 s of CPU in every process, here for nothing (no
# notebook schema uses the format). None in sys.modules makes the import fail, and jsonschema then
# leaves that one format unchecked, as it does wherever the package is not installed.
sys.modules.setdefault("rfc3987_syntax", None)  # type: ignore[assignment]

import nbformat
from nbclient import NotebookClient
from nbclient.exceptions import CellExecutionError, CellTimeoutError, DeadKernelError


def first_lines(source: str, n: int = 3) -> str:
    lines = [l for l in source.splitlines() if l.strip()]
    more = " …" if len(lines) > n else ""
    return " / ".join(lines[:n]) + more


def error_text(cell) -> str:
    """tslab reports a cell's error on stderr, not as an error output: find its message there."""
    text = "".join(o.get("text", "") for o in cell.get("outputs", []) if o.get("name") == "stderr")
    lines = [l.strip() for l in text.splitlines() if l.strip()]
    for l in lines:
        if re.match(r"^[A-Za-z]*(Error|Exception)\b.*:", l):
            return l
    # a type error: "3:7 - Type 'string' is not assignable to type 'number'."
    return " ".join(lines[:2])


async def execute(path: str, cwd: str, timeout: int, out: str) -> dict:
    """Run one notebook on a fresh kernel; the result as a dict (see the module's docstring)."""
    started = time.time()
    result = {"notebook": path, "ok": True}
    try:
        nb = nbformat.read(path, as_version=4)
    except Exception as e:  # not JSON, not a notebook
        return {**result, "ok": False, "error": f"cannot be read as a notebook: {e}"}
    current = {"index": None}

    def on_cell_start(cell, cell_index, **_):
        current["index"] = cell_index

    async def run():
        client = NotebookClient(nb, timeout=timeout, startup_timeout=120, kernel_name="tslab", resources={"metadata": {"path": cwd}})
        client.on_cell_start = on_cell_start
        await client.async_execute()

    try:
        try:
            await run()
        except RuntimeError as e:
            # a kernel that never came up (two starting at once can collide on ports): one more try
            if current["index"] is not None or "didn't respond" not in str(e):
                raise
            await run()
    except CellExecutionError as e:
        cell = nb.cells[current["index"]] if current["index"] is not None else None
        message = error_text(cell) if cell else ""
        result.update(ok=False, cell=current["index"], ename=e.ename.strip("<>") or "Error", evalue=message or e.evalue,
                      source=first_lines(cell.source) if cell else "")
    except CellTimeoutError:
        cell = nb.cells[current["index"]]
        result.update(ok=False, cell=current["index"], ename="Timeout",
                      evalue=f"the cell ran longer than {timeout} s", source=first_lines(cell.source))
    except DeadKernelError as e:
        result.update(ok=False, cell=current["index"], ename="DeadKernel", evalue=str(e).splitlines()[0] if str(e) else "the kernel died")
    except Exception as e:  # kernel could not start, etc.
        result.update(ok=False, ename=type(e).__name__, evalue=str(e).splitlines()[0] if str(e) else "")
    result["seconds"] = round(time.time() - started, 2)
    if out:
        nbformat.write(nb, out)
    return result


async def main() -> int:
    cwd, timeout, jobs = sys.argv[1], int(sys.argv[2]), int(sys.argv[3])
    pairs = sys.argv[4:]
    queue = [(pairs[i], pairs[i + 1]) for i in range(0, len(pairs), 2)]
    failed = 0

    async def worker():
        nonlocal failed
        while queue:
            path, out = queue.pop(0)
            result = await execute(path, cwd, timeout, out)
            failed += not result["ok"]
            print(json.dumps(result), flush=True)

    await asyncio.gather(*(worker() for _ in range(jobs)))
    return 1 if failed else 0


if __name__ == "__main__":
    sys.exit(asyncio.run(main()))
