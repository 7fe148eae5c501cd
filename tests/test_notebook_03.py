"""Notebook 03 (the linear autoencoder and PCA): structure, and its graded cells run in-process in fast mode.

The real round trip (nbgrader, kernels) is tests/test_pipeline.py. Here the code cells of the source notebook run in a
plain namespace, as the kernel would run them, up to the last test cell (the figures after it are skipped). The
reference run keeps a snapshot of the namespace before each answer cell, so an edited answer reruns only from there.
"""
import re
import runpy
import warnings
from functools import lru_cache
from pathlib import Path

import matplotlib.pyplot as plt
import nbformat
import pytest

NAME = "03_linear_autoencoder_pca"
TOTAL_POINTS = 17
FORBIDDING = ["test_pca_svd_hidden", "test_principal_angles_hidden"]  # hidden tests of functions a student could delegate
EXPENSIVE = ["pca_svd", "principal_angles"]  # answers rerun before the three trainings
FOLDER = Path(__file__).resolve().parents[1] / "solutions" / NAME
NB = nbformat.read(FOLDER / f"{NAME}.ipynb", as_version=4)
MUTANTS_NS = runpy.run_path(str(FOLDER / "mutants.py"))
MUTANTS, ALTERNATIVES = MUTANTS_NS["MUTANTS"], MUTANTS_NS["ALTERNATIVES"]
MARKERS = ("### BEGIN SOLUTION", "### END SOLUTION", "### BEGIN HIDDEN TESTS", "### END HIDDEN TESTS")


def meta(cell):
    return cell.metadata.get("nbgrader", {})


def is_test(cell):
    return cell.cell_type == "code" and meta(cell).get("grade") and not meta(cell).get("solution")


def strip_markers(source):
    return "\n".join(ln for ln in source.splitlines() if ln.strip() not in MARKERS)


CODE = [c for c in NB.cells if c.cell_type == "code"]
CELLS = {meta(c)["grade_id"]: c for c in NB.cells}
ANSWERS = [meta(c)["grade_id"] for c in CODE if meta(c).get("solution")]
TESTS = [meta(c)["grade_id"] for c in CODE if is_test(c)]
POSITION = {meta(c)["grade_id"]: i for i, c in enumerate(CODE)}
LAST_TEST = max(POSITION[t] for t in TESTS)


def graded_after(cell_id):
    """Test cells between solution cell cell_id and the next solution cell (the pipeline's default)."""
    found, after = [], False
    for cell in NB.cells:
        if meta(cell).get("solution"):
            if after and found:
                break
            after = after or meta(cell)["grade_id"] == cell_id
        elif after and is_test(cell):
            found.append(meta(cell)["grade_id"])
    return found


def targets_of(edit):
    targets = edit.get("exercise") or graded_after(edit["cell"])
    return [targets] if isinstance(targets, str) else list(targets)


def _run(ns, start, stop, edit=None, snapshots=None):
    """Exec code cells start..stop (inclusive) in ns; {test id: exception or None}."""
    results = {}
    for cell in CODE[start:stop + 1]:
        gid = meta(cell)["grade_id"]
        if snapshots is not None and gid in ANSWERS:
            snapshots[gid] = dict(ns)  # shallow: later cells rebind names, they never change arrays in place
        source = strip_markers(cell.source)
        if edit is not None and edit["cell"] == gid:
            if "source" in edit:
                source = edit["source"]
            else:
                assert edit["find"] in source, f"stale edit: {edit['find']!r} not in cell {gid!r}"
                source = source.replace(edit["find"], edit["replace"])
        try:
            with warnings.catch_warnings():  # a mutant may overflow; nbgrader's stderr fix covers that
                warnings.simplefilter("ignore")
                exec(compile(source, gid, "exec"), ns)
            error = None
        except Exception as exc:  # a failing test cell (or a broken answer) is a result, not a crash
            error = exc
        if gid in TESTS:
            results[gid] = error
    plt.close("all")
    return results


@lru_cache(maxsize=1)
def reference():
    """(test results, {answer id: namespace just before that answer}) of the unedited notebook."""
    snapshots = {}
    results = _run({"__name__": "__main__"}, 0, LAST_TEST, snapshots=snapshots)
    return results, snapshots


def run_edited(edit, stop_after=None):
    """Rerun from the snapshot before the edited answer, up to the last of stop_after (default: every test)."""
    _, snapshots = reference()
    stop = LAST_TEST if stop_after is None else max(POSITION[t] for t in stop_after)
    return _run(dict(snapshots[edit["cell"]]), POSITION[edit["cell"]], stop, edit=edit)


def expensive(edit, targets=None):
    """Does this edit rerun the three trainings (a few seconds)?"""
    reaches_grid = targets is None or max(POSITION[t] for t in targets) > POSITION["train_models"]
    return edit["cell"] in EXPENSIVE and reaches_grid


# ---------------------------------------------------------------- structure

def test_every_cell_carries_nbgrader_metadata():
    """Does every cell have a unique grade_id, schema 3, and flags that match its role?"""
    ids = [meta(c).get("grade_id") for c in NB.cells]
    assert None not in ids and len(set(ids)) == len(ids)
    for cell in NB.cells:
        m = meta(cell)
        assert m["schema_version"] == 3, m
        if m["solution"] and cell.cell_type == "code":  # an autograded answer
            assert not m["locked"] and not m["grade"]
            assert "### BEGIN SOLUTION" in cell.source and "### END SOLUTION" in cell.source, m["grade_id"]
        elif m["solution"]:  # a written answer graded by hand
            assert m["grade"] and m["points"] > 0 and m.get("task") is False and not m["locked"], m
        elif m["grade"]:  # an autograded test cell
            assert cell.cell_type == "code" and m["locked"] and m["points"] > 0, m
        else:
            assert m["locked"], f"read-only cell {m['grade_id']} must be locked"


def test_points_announced_in_headings_match_the_metadata():
    """Does each '(N points' heading announce exactly the points of the graded cells below it?"""
    sections, current = [], None
    for cell in NB.cells:
        found = re.search(r"^###? .*\((\d+) points?", cell.source, re.MULTILINE) if cell.cell_type == "markdown" else None
        if found or (cell.cell_type == "markdown" and cell.source.startswith("#")):
            current = [int(found.group(1)) if found else 0, 0]
            sections.append(current)
        if meta(cell).get("grade") and current is not None:
            current[1] += meta(cell)["points"]
    assert sections and all(announced == counted for announced, counted in sections), sections
    assert sum(meta(c).get("points", 0) for c in NB.cells) == TOTAL_POINTS


def test_test_cells_import_their_helpers():
    """Does every test cell import what it uses, so a student's redefinition cannot change a test?"""
    for gid in TESTS:
        src = CELLS[gid].source
        for name, imported in [("np.", "import numpy as np"), ("ae.", "import autoencoders as ae"),
                               ("pd.", "import pandas as pd")]:
            assert name not in src or imported in src, f"{gid} uses {name} without `{imported}`"
        for helper in ("assert_close", "assert_shape", "forbid", "rel_error", "numerical_gradient"):
            if re.search(rf"\b{helper}\(", src):
                assert re.search(rf"from autoencoders\.\w+ import .*\b{helper}\b", src), f"{gid}: import {helper}"


def test_hidden_tests_of_functions_switch_off_the_package():
    """Do the hidden tests of pca_svd and principal_angles call the student's code inside `forbid`?"""
    for gid in FORBIDDING:
        src = CELLS[gid].source
        assert "### BEGIN HIDDEN TESTS" in src and "forbid(" in src and re.search(r"^\s*with (inner, )?forbid\(", src, re.M), gid


def test_only_checked_cells_store_outputs():
    """Are outputs stored for the nbval-checked cells only, and do they report both checks for both models?"""
    checked = [c for c in CODE if "# NBVAL_CHECK_OUTPUT" in c.source]
    assert checked
    for cell in CODE:
        assert bool(cell.outputs) == (cell in checked), meta(cell)["grade_id"]
    text = "".join(o.get("text", "") for c in checked for o in c.outputs)
    assert text.count("True") == 4 and "False" not in text




# ---------------------------------------------------------------- running the graded cells

def test_reference_answers_pass_every_test_cell():
    """Do the reference answers pass every autograded test cell?"""
    results, _ = reference()
    assert set(results) == set(TESTS)
    assert {gid: repr(exc)[:300] for gid, exc in results.items() if exc is not None} == {}


@pytest.mark.parametrize("gid", ANSWERS)
def test_unanswered_answer_fails_its_test_cells(gid):
    """Does each test cell fail while its answer is still `raise NotImplementedError()`?"""
    stub = re.sub(r"### BEGIN SOLUTION.*?### END SOLUTION", "raise NotImplementedError()", CELLS[gid].source,
                  flags=re.DOTALL)
    tests = graded_after(gid)
    results = run_edited({"cell": gid, "source": stub}, stop_after=tests)
    for test in tests:
        assert isinstance(results[test], Exception), f"{test} passes with {gid} unanswered"


def _params(edits, with_targets):
    return [pytest.param(i, marks=[pytest.mark.slow] if expensive(e, targets_of(e) if with_targets else None) else [])
            for i, e in enumerate(edits)]


@lru_cache(maxsize=None)
def mutant_results(i):
    """{test id: exception or None} for mutant i, run up to the last of its target test cells."""
    return run_edited(MUTANTS[i], stop_after=targets_of(MUTANTS[i]))


@pytest.mark.parametrize("i", _params(MUTANTS, with_targets=True))
def test_mutant_loses_points(i):
    """Does this plausible bug fail at least one test cell of its exercise?"""
    mutant = MUTANTS[i]
    assert mutant.get("why"), f"mutant {i} needs a 'why'"
    targets = targets_of(mutant)
    results = mutant_results(i)
    assert any(isinstance(results[t], Exception) for t in targets), f"mutant {i} ({mutant['why']}) passes {targets}"


@pytest.mark.slow
def test_every_test_cell_loses_points_to_two_mutants():
    """Does every autograded test cell fail for at least two of the mutants aimed at it (the pipeline's rule)?"""
    caught = {gid: [] for gid in TESTS}
    for i, mutant in enumerate(MUTANTS):
        for t in targets_of(mutant):
            if isinstance(mutant_results(i)[t], Exception):
                caught[t].append(i)
    assert all(len(ids) >= 2 for ids in caught.values()), caught


@pytest.mark.parametrize("i", _params(ALTERNATIVES, with_targets=False))
def test_alternative_gets_full_marks(i):
    """Does this correct answer, written differently, pass every test cell after it?"""
    results = run_edited(ALTERNATIVES[i])
    failed = {gid: repr(exc)[:200] for gid, exc in results.items() if exc is not None}
    assert not failed, f"alternative {i} ({ALTERNATIVES[i]['why']}): {failed}"
