"""Notebook 01 (backprop and gradient checking): structure, and its graded cells run in-process.

The real round trip (nbgrader, kernels) is tests/test_pipeline.py; these checks take seconds: they exec
the set-up, answer and test cells of the source notebook in a plain namespace, as the kernel would.
"""
import re
import runpy
import warnings
from pathlib import Path

import nbformat
import pytest

NAME = "01_backprop_gradcheck"
FOLDER = Path(__file__).resolve().parents[1] / "solutions" / NAME
NB = nbformat.read(FOLDER / f"{NAME}.ipynb", as_version=4)
MUTANTS_NS = runpy.run_path(str(FOLDER / "mutants.py"))
MUTANTS, ALTERNATIVES = MUTANTS_NS["MUTANTS"], MUTANTS_NS["ALTERNATIVES"]
ALL_MUTANTS = MUTANTS + MUTANTS_NS.get("EXTRA_MUTANTS", [])  # extras: checked here only, not in the kernel round trip
MARKERS = ("### BEGIN SOLUTION", "### END SOLUTION", "### BEGIN HIDDEN TESTS", "### END HIDDEN TESTS")


def meta(cell):
    return cell.metadata.get("nbgrader", {})


def strip_markers(source):
    return "\n".join(ln for ln in source.splitlines() if ln.strip() not in MARKERS)


def is_test(cell):
    return cell.cell_type == "code" and meta(cell).get("grade") and not meta(cell).get("solution")


CELLS = {meta(c)["grade_id"]: c for c in NB.cells}
ANSWERS = [gid for gid, c in CELLS.items() if c.cell_type == "code" and meta(c).get("solution")]
TESTS = [gid for gid, c in CELLS.items() if is_test(c)]


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


def run_graded_cells(edit=None, only=None):
    """Exec set-up, answer cells (one edited) and test cells in order; {test id: exception or None}."""
    ns, results = {}, {}
    exec(compile(CELLS["setup"].source, "setup", "exec"), ns)
    for cell in NB.cells:
        gid = meta(cell).get("grade_id")
        if cell.cell_type != "code" or not (gid in ANSWERS or gid in TESTS):
            continue
        if gid in TESTS and only is not None and gid not in only:
            continue
        source = strip_markers(cell.source)
        if edit is not None and edit["cell"] == gid:
            if "source" in edit:
                source = edit["source"]
            else:
                assert edit["find"] in source, f"stale edit: {edit['find']!r} not in cell {gid!r}"
                source = source.replace(edit["find"], edit["replace"])
        try:
            with warnings.catch_warnings():  # a mutant may divide by zero; nbgrader's stderr fix covers that
                warnings.simplefilter("ignore", RuntimeWarning)
                exec(compile(source, gid, "exec"), ns)
            results[gid] = None
        except Exception as exc:  # a failing test cell (or a broken answer) is a result, not a crash
            results[gid] = exc
    return results


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
    assert sum(meta(c).get("points", 0) for c in NB.cells) == 27


def test_test_cells_import_their_helpers():
    """Does every test cell import what it uses, so a student's redefinition cannot change a test?"""
    for gid in TESTS:
        src = CELLS[gid].source
        for name, imported in [("np.", "import numpy as np"), ("ae.", "import autoencoders as ae")]:
            assert name not in src or imported in src, f"{gid} uses {name} without `{imported}`"
        for helper in ("assert_close", "assert_shape", "forbid"):
            if re.search(rf"\b{helper}\(", src):
                assert re.search(rf"from autoencoders.grading import .*\b{helper}\b", src), f"{gid}: import {helper}"


def test_hidden_tests_switch_off_the_package():
    """Does every hidden test cell call the student's code inside `forbid`?"""
    hidden = [gid for gid in TESTS if "### BEGIN HIDDEN TESTS" in CELLS[gid].source]
    assert len(hidden) == 7
    for gid in hidden:
        assert "with forbid(" in CELLS[gid].source, gid


def test_only_checked_cells_store_outputs():
    """Are outputs stored for the nbval-checked cells (and only those, to keep the source small)?"""
    checked = [c for c in NB.cells if c.cell_type == "code" and "# NBVAL_CHECK_OUTPUT" in c.source]
    assert checked
    for cell in NB.cells:
        if cell.cell_type == "code":
            assert bool(cell.outputs) == (cell in checked), meta(cell)["grade_id"]
    text = "".join(o.get("text", "") for c in checked for o in c.outputs)
    assert text.count("True") == 5 and "False" not in text


def test_reference_answers_pass_every_test_cell():
    """Do the reference answers pass every autograded test cell?"""
    results = run_graded_cells()
    assert {gid: exc for gid, exc in results.items() if exc is not None} == {}
    assert set(TESTS) <= set(results)


def test_unanswered_notebook_fails_every_test_cell():
    """Does each test cell fail while its answer is still `raise NotImplementedError()`?"""
    stubs = {gid: re.sub(r"### BEGIN SOLUTION.*?### END SOLUTION", "raise NotImplementedError()",
                         CELLS[gid].source, flags=re.DOTALL) for gid in ANSWERS}
    for gid in ANSWERS:
        results = run_graded_cells({"cell": gid, "source": stubs[gid]}, only=graded_after(gid))
        for test in graded_after(gid):
            assert isinstance(results[test], Exception), f"{test} passes with {gid} unanswered"


@pytest.mark.parametrize("i", range(len(ALL_MUTANTS)))
def test_mutant_loses_points(i):
    """Does this plausible bug fail at least one test cell of its exercise?"""
    mutant = ALL_MUTANTS[i]
    assert mutant.get("why"), f"mutant {i} needs a 'why'"
    targets = mutant.get("exercise") or graded_after(mutant["cell"])
    targets = [targets] if isinstance(targets, str) else targets
    results = run_graded_cells(mutant, only=targets)
    assert any(isinstance(results[t], Exception) for t in targets), f"mutant {i} ({mutant['why']}) passes {targets}"


def test_every_test_cell_is_targeted_by_two_mutants():
    """Does every autograded test cell have at least two mutants (of those the pipeline runs) aimed at it?"""
    counts = {gid: 0 for gid in TESTS}
    for m in MUTANTS:
        targets = m.get("exercise") or graded_after(m["cell"])
        for t in [targets] if isinstance(targets, str) else targets:
            counts[t] += 1
    assert min(counts.values()) >= 2, counts


@pytest.mark.parametrize("i", range(len(ALTERNATIVES)))
def test_alternative_gets_full_marks(i):
    """Does this correct answer, written differently, pass every test cell?"""
    results = run_graded_cells(ALTERNATIVES[i])
    failed = {gid: repr(exc)[:200] for gid, exc in results.items() if exc is not None}
    assert not failed, f"alternative {i} ({ALTERNATIVES[i]['why']}): {failed}"
