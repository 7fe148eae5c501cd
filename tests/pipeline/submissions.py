"""The submissions the pipeline tests grade: the course's assignments plus the toy, and how to build answers.

`released` (a session fixture in conftest.py) releases every source once; `perfect` and `edited` build
submissions from that release and the reference answers; `plan` picks the mutants and alternatives the
batch grades and packs them into as few submissions as their cells allow.
"""

import ast
import collections
import functools
import importlib
import os
from pathlib import Path
from typing import NamedTuple

import nbformat

from autoencoders import course
from tests.support import ROOT
from tests.support.cells import apply_edit, load_mutants, meta, notebooks_of, strip_markers

FIXTURES = Path(__file__).resolve().parent / "fixtures"
TOY = "toy"
TIMEOUT = 30  # seconds per cell in the test batch (a loaded machine): the infinite loop costs this much, once

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


@functools.cache
def source_notebooks(name):
    """{stem: source notebook} of assignment `name`, read once: callers only read them (copy before changing)."""
    return notebooks_of(SOURCES[name])


def locate(name, grade_id, notebook=None):
    """The notebook stem of assignment `name` holding solution cell grade_id (exactly one)."""
    hits = [
        stem
        for stem, nb in source_notebooks(name).items()
        if notebook in (None, stem)
        for c in nb.cells
        if meta(c).get("solution") and meta(c).get("grade_id") == grade_id
    ]
    assert len(hits) == 1, f"{name}: solution cell {grade_id!r} found in {hits or 'no notebook'}"
    return hits[0]


def perfect(name):
    """{stem: released notebook with every solution cell holding the reference answer}."""
    sources = source_notebooks(name)
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


def grade_toy(subs, out, course_dir, **options):
    """course.autograde of the toy submissions in subs into out and the gradebook in course_dir, quietly, with the
    repository's nbgrader_config.py and TIMEOUT; options (timeout, limits, scheduler, ...) are passed on."""
    options = {"timeout": TIMEOUT, "progress": False, **options}
    return course.autograde(subs, out=out, root=ROOT, sources={TOY: SOURCES[TOY]}, course=course_dir, **options)


def write_submission(root, student, name, nbs):
    """Write {stem: notebook} as root/<student>/<name>/<stem>.ipynb."""
    folder = Path(root) / student / name
    folder.mkdir(parents=True)
    for stem, nb in nbs.items():
        nbformat.write(nb, folder / f"{stem}.ipynb")


# ---------------------------------------------------------------- what an edit touches


def tests_after(name, stem, cell):
    """Grade ids of the test cells after solution cell `cell` of notebook `stem`, up to the next solution cell."""
    found, after = [], False
    for c in source_notebooks(name)[stem].cells:
        if meta(c).get("solution"):
            if after and found:
                break
            after = after or meta(c).get("grade_id") == cell
        elif after and course.is_test_cell(c):
            found.append(meta(c)["grade_id"])
    return found


def exercises(name, edit):
    """Test cell grade ids an edit must lose points on: explicit 'exercise', else the tests after its cell."""
    if "exercise" in edit:
        ex = edit["exercise"]
        return [ex] if isinstance(ex, str) else list(ex)
    return tests_after(name, locate(name, edit["cell"], edit.get("notebook")), edit["cell"])


def _statements(source):
    """[(defines, reads, is_def)] per top-level statement of a code cell; None if it does not parse."""
    try:
        tree = ast.parse(source)
    except SyntaxError:  # IPython magics: the caller assumes the worst
        return None
    out = []
    for stmt in tree.body:
        nodes = list(ast.walk(stmt))
        # names bound inside the statement (loop targets, comprehension and local variables, parameters)
        local = {n.id for n in nodes if isinstance(n, ast.Name) and isinstance(n.ctx, ast.Store)}
        local |= {
            a.arg
            for n in nodes
            if isinstance(n, ast.arguments)
            for a in n.posonlyargs + n.args + n.kwonlyargs + [n.vararg, n.kwarg]
            if a is not None
        }
        reads = {n.id for n in nodes if isinstance(n, ast.Name) and isinstance(n.ctx, ast.Load)} - local
        if isinstance(stmt, (ast.FunctionDef, ast.AsyncFunctionDef, ast.ClassDef)):
            out.append(({stmt.name}, reads, True))
        elif isinstance(stmt, (ast.Import, ast.ImportFrom)):
            out.append(({(a.asname or a.name).split(".")[0] for a in stmt.names}, set(), False))
        else:
            out.append(
                (
                    {n.id for n in nodes if isinstance(n, ast.Name) and isinstance(n.ctx, ast.Store)}
                    - {
                        n.id
                        for n in nodes
                        if isinstance(n, ast.comprehension)
                        for n in ast.walk(n.target)
                        if isinstance(n, ast.Name)
                    },
                    reads,
                    False,
                )
            )
    return out


@functools.cache
def _run_order(name, stem):
    """[(cell key, defines, reads, is_def)] per top-level statement of a notebook, in run order; None: unknown."""
    flat = []
    for i, cell in enumerate(source_notebooks(name)[stem].cells):
        if cell.cell_type != "code":
            continue
        stmts = _statements(cell.source)
        if stmts is None:
            return None
        flat += [(meta(cell).get("grade_id", f"#{i}"), *st) for st in stmts]
    return flat


def dependencies(name, stem, grade_ids):
    """grade ids of the cells whose definitions the given cells read, transitively (None: cannot tell).

    Statement by statement in run order: a name read resolves to the last statement before it that
    binds the name; a function body also to the last binding before the originating cell (late binding).
    """
    flat = _run_order(name, stem)
    if flat is None:
        return None

    def binding(var, before):
        return next((q for q in range(before - 1, -1, -1) if var in flat[q][1]), None)

    seen = set()
    for origin in grade_ids:
        todo = [p for p, st in enumerate(flat) if st[0] == origin]
        end = max(todo, default=0) + 1
        while todo:
            p = todo.pop()
            if p in seen:
                continue
            seen.add(p)
            key, _, reads, is_def = flat[p]
            for var in reads:
                todo += [q for q in {binding(var, p), binding(var, end) if is_def else None} if q is not None]
    return {flat[p][0] for p in seen}


# ---------------------------------------------------------------- which edits the batch grades


@functools.cache
def checked_in_process():
    """Assignments whose every mutant and alternative tests/notebooks/ runs in-process: one NotebookTests class each."""
    from tests.notebooks.harness import NotebookTests  # late: matplotlib and the notebooks load only when planning

    names = set()
    for path in sorted((ROOT / "tests" / "notebooks").glob("test_*.py")):
        module = importlib.import_module(f"tests.notebooks.{path.stem}")
        names |= {
            cls.NB.name
            for cls in vars(module).values()
            if isinstance(cls, type) and issubclass(cls, NotebookTests) and cls is not NotebookTests
        }
    return names


class Planned(NamedTuple):
    """One mutant or alternative as the planner sees it."""

    index: int  # its position in MUTANTS or ALTERNATIVES
    edit: dict
    stem: str  # the notebook holding its cell
    targets: frozenset  # the test cells it must lose points on (exercises)
    own: frozenset  # the test cells after its cell, up to the next solution cell
    deps: frozenset | None  # grade ids of the cells its targets read, transitively (None: cannot tell)


def _planned(name, index, edit):
    """The Planned of edit number `index` of assignment `name`."""
    stem = locate(name, edit["cell"], edit.get("notebook"))
    targets = exercises(name, edit)
    deps = dependencies(name, stem, targets)
    return Planned(
        index,
        edit,
        stem,
        frozenset(targets),
        frozenset(tests_after(name, stem, edit["cell"])),
        None if deps is None else frozenset(deps),
    )


def can_share(a, b):
    """May two edits share a submission? Different cells, neither feeding the other's tests, no test aimed twice.

    The dependency rule reads names statement by statement (`dependencies`); the target rule keeps a test cell that
    one edit is aimed at clear of every other edit of the submission (their targets and the tests of their own
    cells), so a lost point is counted for the only edit aimed at it.
    """
    if a.stem == b.stem and (
        a.edit["cell"] == b.edit["cell"]
        or a.deps is None
        or b.deps is None
        or a.edit["cell"] in b.deps
        or b.edit["cell"] in a.deps
    ):
        return False
    return not (a.targets & (b.targets | b.own)) and not (b.targets & (a.targets | a.own))


@functools.cache
def plan(name, kind):
    """The mutants or alternatives of assignment `name` the batch grades, as ((index, edit), ...) per submission.

    kind is "mutants" or "alternatives". Every edit of an assignment that tests/notebooks/ checks is already run
    in-process (each mutant must lose points, each alternative get full marks: `checked_in_process`), so the real
    pipeline grades a cover of them, not all:
    - mutants: enough that every test cell is the target (`exercises`) of at least 2 graded mutants, which
      test_every_exercise_has_two_mutants_that_lose_points then requires to lose points on it for real;
    - alternatives: one per answer cell that has any, each of which must get full marks.
    An assignment not checked in-process (the toy, or a new notebook without its test module) has every edit graded.

    The cover is greedy and deterministic, built one submission at a time: each takes, while one fits (`can_share`),
    the edit that is aimed only at its own cell's tests (it can share a submission with any other cell's edit),
    then covers the most test cells (answer cells, for alternatives) still short of their quota, then comes first
    in the mutants file. With independent cells the first two submissions hold two mutants of every cell, the
    first one an alternative of every cell. With "perfect" and "untouched" that is 5 submissions per assignment,
    the least there can be: an answer cell holds one answer per submission, and each must be graded with 5 (its
    reference, its stub, an alternative, two mutants).

    The reference answers keep their own "perfect" submission (every reference answer at once, full marks): folding
    them into the alternatives would need a second alternatives submission, so that every cell's reference is
    graded in one of them, and would save nothing.
    """
    if kind not in ("mutants", "alternatives"):
        raise ValueError(f"kind must be 'mutants' or 'alternatives', got {kind!r}")
    edits = [_planned(name, i, e) for i, e in enumerate(load_mutants(SOURCES[name])[kind])]
    if name not in checked_in_process():
        quota, keys = 1, {e.index: [e.index] for e in edits}  # every edit, once
    elif kind == "mutants":
        quota, keys = 2, {e.index: sorted(e.targets) for e in edits}
    else:
        quota, keys = 1, {e.index: [(e.stem, e.edit["cell"])] for e in edits}
    covered = collections.Counter()

    def gain(e):
        return sum(covered[k] < quota for k in keys[e.index])

    groups, left = [], list(edits)
    while True:
        group = []
        while fits := [e for e in left if gain(e) and all(can_share(e, g) for g in group)]:
            best = min(fits, key=lambda e: (bool(e.targets - e.own), -gain(e), e.index))
            group.append(best)
            left.remove(best)
            covered.update(keys[best.index])
        if not group:
            return tuple(tuple((e.index, e.edit) for e in sorted(g, key=lambda e: e.index)) for g in groups)
        groups.append(group)
