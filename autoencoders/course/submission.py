"""A student's submission made gradable: copied without links, cell metadata repaired, notebooks found by name.

Each fix that changes what is graded is returned as a note for grades.csv, in words a student can act on.
"""

import shutil
from pathlib import Path

import nbformat

SKIPPED = shutil.ignore_patterns(".ipynb_checkpoints", "__pycache__")
NBGRADER_KEYS = {"grade": bool, "solution": bool, "grade_id": str}  # what nbgrader reads without checking


def copy_without_links(source, dest):
    """Copy the folder source to dest; symbolic links are dropped, never followed. The names dropped."""
    shutil.copytree(source, dest, symlinks=True, ignore=SKIPPED)
    dropped = []
    for path in sorted(Path(dest).rglob("*")):
        if path.is_symlink():
            dropped.append(str(path.relative_to(dest)))
            path.unlink()
    return dropped


def find_notebooks(folder, expected):
    """Rename a lone notebook saved under another name to the expected one; notes saying what was done."""
    folder = Path(folder)
    present = sorted(p.name for p in folder.glob("*.ipynb"))
    missing = [name for name in expected if name not in present]
    extra = [name for name in present if name not in expected]
    if not missing:
        return []
    if len(missing) == 1 and len(extra) == 1:
        (folder / extra[0]).rename(folder / missing[0])
        return [f"graded {extra[0]} as {missing[0]} (the notebook was saved under another name)"]
    found = f"found {', '.join(present)}" if present else "found no notebook"
    return [f"no {name} in the submission ({found}): save your work under that name" for name in missing]


def repair_metadata(path):
    """Drop nbgrader metadata nbgrader cannot read (edited, or a pasted copy of a cell); notes naming the cells.

    The cell then counts as an ordinary cell: its code still runs, and a test cell that lost its metadata is
    put back by nbgrader from the release.
    """
    try:
        nb = nbformat.read(path, as_version=4)
    except Exception:  # not a notebook: nbgrader reports it
        return []
    notes, seen = [], set()
    for i, cell in enumerate(nb.cells):
        meta = cell.get("metadata", {}).get("nbgrader")
        if meta is None:
            continue
        ok = isinstance(meta, dict) and all(isinstance(meta.get(k, v()), v) for k, v in NBGRADER_KEYS.items())
        ok = ok and ("grade_id" in meta or not (meta.get("grade") or meta.get("solution")))
        where = f"cell {i + 1} of {Path(path).name}"
        if not ok:
            del cell.metadata["nbgrader"]
            notes.append(
                f"{where} had changed grading metadata, so it was graded as an ordinary cell; do not edit cell metadata"
            )
        elif meta.get("grade_id") in seen:  # a copy-pasted cell: the first one is graded, this one just runs
            del cell.metadata["nbgrader"]
            notes.append(f"{where} is a copy of the cell {meta['grade_id']!r} above it; it ran as an ordinary cell")
        elif "grade_id" in meta:
            seen.add(meta["grade_id"])
    if notes:
        nbformat.write(nb, path)
    return notes


def prepare(source, dest, expected):
    """Copy source to dest and make it gradable; notes for grades.csv."""
    notes = [f"the link {name} was not followed (links are not graded)" for name in copy_without_links(source, dest)]
    notes += find_notebooks(dest, expected)
    for path in sorted(Path(dest).glob("*.ipynb")):
        notes += repair_metadata(path)
    return notes
