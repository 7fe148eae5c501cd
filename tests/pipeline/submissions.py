"""The submissions the pipeline tests grade: the course's assignments plus the toy, and how to build answers.

`released` (a session fixture in conftest.py) releases every source once; `perfect` and `edited` build
submissions from that release and the reference answers.
"""

import os
from pathlib import Path

import nbformat

from autoencoders import course
from tests.support import ROOT
from tests.support.cells import apply_edit, meta, notebooks_of, strip_markers

FIXTURES = Path(__file__).resolve().parent / "fixtures"
TOY = "toy"
TIMEOUT = 20  # seconds per cell in the test batch: the infinite loop costs this much, once

REPO_SOURCES = course.find_assignments(ROOT)
SOURCES = {**REPO_SOURCES, TOY: FIXTURES / "solutions" / TOY}
# PIPELINE_NOTEBOOKS="toy,01_backprop_gradcheck" narrows a local run; CI runs every notebook
if os.environ.get("PIPELINE_NOTEBOOKS"):
    _keep = set(os.environ["PIPELINE_NOTEBOOKS"].split(",")) | {TOY}
    REPO_SOURCES = {k: v for k, v in REPO_SOURCES.items() if k in _keep}
    SOURCES = {k: v for k, v in SOURCES.items() if k in _keep}


GRADED = {
    name: folder
    for name, folder in SOURCES.items()
    if any(course.is_test_cell(c) for nb in notebooks_of(folder).values() for c in nb.cells)
}

RELEASED = {}  # the `released` fixture puts the folder of freshly released assignments under "folder"


def locate(name, grade_id, notebook=None):
    """The notebook stem of assignment `name` holding solution cell grade_id (exactly one)."""
    hits = [
        stem
        for stem, nb in notebooks_of(SOURCES[name]).items()
        if notebook in (None, stem)
        for c in nb.cells
        if meta(c).get("solution") and meta(c).get("grade_id") == grade_id
    ]
    assert len(hits) == 1, f"{name}: solution cell {grade_id!r} found in {hits or 'no notebook'}"
    return hits[0]


def perfect(name):
    """{stem: released notebook with every solution cell holding the reference answer}."""
    sources = notebooks_of(SOURCES[name])
    out = {}
    for stem, nb in notebooks_of(RELEASED["folder"] / name).items():
        answers = {meta(c)["grade_id"]: c.source for c in sources[stem].cells if meta(c).get("solution")}
        for cell in nb.cells:
            if meta(cell).get("solution"):
                cell.source = strip_markers(answers[meta(cell)["grade_id"]])
        out[stem] = nb
    return out


def cell_by_id(nb, grade_id):
    """The cell with this nbgrader grade_id."""
    return next(c for c in nb.cells if meta(c).get("grade_id") == grade_id)


def edited(name, edits):
    """A perfect submission with edits ({cell, find/replace or source, [notebook]}) applied."""
    nbs = perfect(name)
    for edit in edits:
        cell = cell_by_id(nbs[locate(name, edit["cell"], edit.get("notebook"))], edit["cell"])
        cell.source = apply_edit(edit, cell.source)
    return nbs


WRONG_SIGMOID = {"cell": "sigmoid", "find": "np.tanh(z / 2)", "replace": "np.tanh(z)"}


def write_submission(root, student, name, nbs):
    """Write {stem: notebook} as root/<student>/<name>/<stem>.ipynb."""
    folder = Path(root) / student / name
    folder.mkdir(parents=True)
    for stem, nb in nbs.items():
        nbformat.write(nb, folder / f"{stem}.ipynb")
