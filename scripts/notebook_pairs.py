"""Keep each notebook in notebooks/ and its Markdown pair in notebooks/md/ in step (jupytext).

Called by scripts/notebooks.mjs with the project's .venv Python:

    notebook_pairs.py NOTEBOOKS_DIR --check   report stale pairs and saved outputs, change nothing
    notebook_pairs.py NOTEBOOKS_DIR           sync every pair (the newer file wins) and clear outputs

The pairing itself is notebooks/jupytext.toml, so JupyterLab (with jupytext's extension) saves
both files on every save; this script is for edits made outside JupyterLab and for `npm test`.
"""
import json
import os
import sys

# jsonschema (under nbformat) imports rfc3987_syntax for its "iri" format check, and that module
# builds a parser as it is imported: about 3 s of CPU in every process, here for nothing (no
# notebook schema uses the format). None in sys.modules makes the import fail, and jsonschema then
# leaves that one format unchecked, as it does wherever the package is not installed.
sys.modules.setdefault("rfc3987_syntax", None)  # type: ignore[assignment]

import jupytext
import nbformat
from jupytext.cli import jupytext as jupytext_cli

FIX = "npm run notebooks"
# what the TypeScript kernels report (tslab, and the site's kernel: src/exercises/notebook-kernel.ts):
# JupyterLab writes it into a notebook as its kernel starts, so a notebook holding anything else
# shows as modified the moment it is opened
LANGUAGE_INFO = {
    "name": "typescript",
    "version": "3.7.2",
    "mimetype": "text/typescript",
    "file_extension": ".ts",
    "codemirror_mode": {"mode": "typescript", "name": "javascript", "typescript": True},
}


def inputs(nb):
    return [(c.cell_type, c.source.strip()) for c in nb.cells]


def has_outputs(nb):
    return any(c.cell_type == "code" and (c.get("outputs") or c.get("execution_count")) for c in nb.cells)


def first_difference(a, b):
    for i, (x, y) in enumerate(zip(a, b)):
        if x != y:
            return f"cell {i} differs"
    return f"one has {len(a)} cells, the other {len(b)}"


def pairs(folder):
    names = set()
    for f in os.listdir(folder):
        if f.endswith(".ipynb"):
            names.add(f[: -len(".ipynb")])
    md = os.path.join(folder, "md")
    if os.path.isdir(md):
        for f in os.listdir(md):
            if f.endswith(".md"):
                names.add(f[: -len(".md")])
    for name in sorted(names):
        yield name, os.path.join(folder, name + ".ipynb"), os.path.join(md, name + ".md")


def check(folder):
    problems = []
    for name, ipynb, md in pairs(folder):
        rel_ipynb, rel_md = f"notebooks/{name}.ipynb", f"notebooks/md/{name}.md"
        if not os.path.exists(md):
            problems.append(f"{rel_ipynb} has no Markdown pair {rel_md}. run `{FIX}` to write it.")
            continue
        if not os.path.exists(ipynb):
            problems.append(f"{rel_md} has no notebook {rel_ipynb}. run `{FIX}` to build it.")
            continue
        nb = nbformat.read(ipynb, as_version=4)
        text = jupytext.read(md)
        if inputs(nb) != inputs(text):
            newer_md = os.path.getmtime(md) >= os.path.getmtime(ipynb)
            stale, fresh = (rel_ipynb, rel_md) if newer_md else (rel_md, rel_ipynb)
            problems.append(f"{stale} is stale: {fresh} was edited later ({first_difference(inputs(nb), inputs(text))}). "
                            f"run `{FIX}` to copy {fresh} into it.")
        if has_outputs(nb):
            problems.append(f"{rel_ipynb} was saved with outputs; notebooks in the repository stay output-free. run `{FIX}` to clear them.")
        if nb.metadata.get("language_info") != LANGUAGE_INFO:
            problems.append(f"{rel_ipynb}'s language_info is not what the TypeScript kernel reports, so it opens marked as modified. "
                            f"run `{FIX}` to set it.")
    return problems


def sync(folder):
    config = os.path.join(folder, "jupytext.toml")
    for name, ipynb, md in pairs(folder):
        target = ipynb if os.path.exists(ipynb) else md
        # jupytext --sync reads the newer of the two files' inputs and writes both
        jupytext_cli(["--sync", "--quiet", target])
        nb = nbformat.read(ipynb, as_version=4)
        if has_outputs(nb) or nb.metadata.get("language_info") != LANGUAGE_INFO:
            for c in nb.cells:
                if c.cell_type == "code":
                    c.outputs = []
                    c.execution_count = None
            nb.metadata["language_info"] = LANGUAGE_INFO
            nbformat.write(nb, ipynb)
            # the text file must not look older than the notebook, or jupytext treats it as outdated
            os.utime(md)
        print(f"  {name}: in step")
    return os.path.exists(config)


if __name__ == "__main__":
    folder = sys.argv[1]
    if "--check" in sys.argv:
        found = check(folder)
        for p in found:
            print(p, file=sys.stderr)
        sys.exit(1 if found else 0)
    sync(folder)
