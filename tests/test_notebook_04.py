"""Notebook 04 (optimisers): cell metadata, and its graded cells run in-process against every mutant.

tests/test_pipeline.py does the real round trip (nbgrader, kernels, the whole notebook). These checks
exec the source notebook's set-up, answer and test cells in a fresh namespace, the way the kernel runs
them, so they take about a second.
"""
import re
import runpy
import time
import warnings
from pathlib import Path

import nbformat
import numpy as np
import pytest

NAME = "04_optimisers"
FOLDER = Path(__file__).resolve().parents[1] / "solutions" / NAME
NB = nbformat.read(FOLDER / f"{NAME}.ipynb", as_version=4)
EDITS = runpy.run_path(str(FOLDER / "mutants.py"))
MUTANTS, ALTERNATIVES = EDITS["MUTANTS"], EDITS["ALTERNATIVES"]  # also graded in kernels by test_pipeline.py
ALL_MUTANTS = MUTANTS + EDITS.get("EXTRA_MUTANTS", [])  # the extras are checked here only
ALL_ALTERNATIVES = ALTERNATIVES + EDITS.get("EXTRA_ALTERNATIVES", [])
MARKERS = ("### BEGIN SOLUTION", "### END SOLUTION", "### BEGIN HIDDEN TESTS", "### END HIDDEN TESTS")
STUB = "# YOUR CODE HERE\nraise NotImplementedError()"  # nbgrader_config.py's code stub
RULES = ["sgd", "momentum", "rmsprop", "adam", "adagrad"]


def nbg(cell):
    return cell.metadata.get("nbgrader", {})


def is_test(cell):
    return cell.cell_type == "code" and nbg(cell).get("grade") and not nbg(cell).get("solution")


CELLS = {nbg(c)["grade_id"]: c for c in NB.cells}
ANSWERS = [gid for gid, c in CELLS.items() if c.cell_type == "code" and nbg(c).get("solution")]
TESTS = [gid for gid, c in CELLS.items() if is_test(c)]


def without_markers(source):
    return "\n".join(ln for ln in source.splitlines() if ln.strip() not in MARKERS)


def as_released(source):
    """The student's stub: each solution region replaced by nbgrader's stub, indented like the marker."""
    out, inside = [], False
    for line in source.splitlines():
        if line.strip() == "### BEGIN SOLUTION":
            indent = line[: len(line) - len(line.lstrip())]
            out += [indent + stub_line for stub_line in STUB.splitlines()]
            inside = True
        elif line.strip() == "### END SOLUTION":
            inside = False
        elif not inside:
            out.append(line)
    return "\n".join(out)


def apply(edit, source):
    if "source" in edit:
        return edit["source"]
    assert edit["find"] in source, f"stale edit: {edit['find']!r} not in cell {edit['cell']!r}"
    return source.replace(edit["find"], edit["replace"])


def run_graded(edit=None, released=False):
    """Exec set-up, answers and tests in order; {test grade_id: exception or None}."""
    ns, results = {}, {}
    exec(compile(CELLS["setup"].source, "setup", "exec"), ns)
    for gid in [nbg(c)["grade_id"] for c in NB.cells]:
        if gid not in ANSWERS and gid not in TESTS:
            continue
        source = CELLS[gid].source
        source = as_released(source) if released and gid in ANSWERS else without_markers(source)
        if edit is not None and edit["cell"] == gid:
            source = apply(edit, source)
        try:
            with warnings.catch_warnings():  # a mutant may divide by zero; the grader's stderr fix covers that
                warnings.simplefilter("ignore", RuntimeWarning)
                exec(compile(source, gid, "exec"), ns)
            results[gid] = None
        except Exception as exc:  # a failing test (or a broken answer) is a result here, not a crash
            results[gid] = exc
    return results


def test_cells_carry_nbgrader_metadata_matching_their_role():
    """Does every cell have a unique grade_id, schema 3, and flags that fit what it is?"""
    ids = [nbg(c).get("grade_id") for c in NB.cells]
    assert None not in ids and len(set(ids)) == len(ids)
    for cell in NB.cells:
        m = nbg(cell)
        assert m["schema_version"] == 3 and m.get("task") is False, m
        if m["solution"] and cell.cell_type == "code":
            assert not m["grade"] and not m["locked"] and "### BEGIN SOLUTION" in cell.source, m
        elif m["solution"]:
            assert m["grade"] and m["points"] > 0 and not m["locked"], m
        elif m["grade"]:
            assert is_test(cell) and m["locked"] and m["points"] > 0 and "### BEGIN HIDDEN TESTS" in cell.source, m
        else:
            assert m["locked"], f"{m['grade_id']} is neither an answer nor a test, so it must be locked"


def test_each_rule_is_an_answer_followed_by_its_test():
    """Is every update rule a solution cell with its test cell right after it?"""
    order = [nbg(c)["grade_id"] for c in NB.cells]
    for rule in RULES:
        assert rule in ANSWERS and order[order.index(rule) + 1] == f"test_{rule}"


def test_points_in_headings_match_the_metadata():
    """Does each '(N points' in a heading announce the points of the graded cells below it?"""
    sections = []
    for cell in NB.cells:
        if cell.cell_type == "markdown":
            for found in re.finditer(r"^#+ .*\((\d+) points?", cell.source, re.MULTILINE):
                sections.append([int(found.group(1)), 0])
        if nbg(cell).get("grade"):
            sections[-1][1] += nbg(cell)["points"]
    assert all(announced == counted for announced, counted in sections), sections
    assert sum(nbg(CELLS[t])["points"] for t in TESTS) == 10
    assert sum(nbg(c).get("points", 0) for c in NB.cells) == 16


def test_test_cells_import_their_helpers():
    """Does every test cell import numpy and its grading helpers itself (a student may redefine them)?"""
    for gid in TESTS:
        source = CELLS[gid].source
        assert "import numpy as np" in source, gid
        assert re.search(r"from autoencoders\.grading import assert_close, forbid", source), gid


def test_reference_answers_pass_quietly_and_fast(capsys):
    """Do the reference answers pass every test, without warnings or stderr, in well under a second?"""
    start = time.perf_counter()
    with warnings.catch_warnings():
        warnings.simplefilter("error")
        results = run_graded()
    assert results and all(exc is None for exc in results.values()), results
    assert time.perf_counter() - start < 2.0
    assert capsys.readouterr().err == ""


def test_released_stubs_fail_every_test():
    """Does the untouched student notebook fail every test cell?"""
    results = run_graded(released=True)
    assert all(isinstance(results[t], NotImplementedError) for t in TESTS), results


@pytest.mark.parametrize("i", range(len(ALL_MUTANTS)), ids=lambda i: f"{ALL_MUTANTS[i]['cell']}-{i}")
def test_mutant_fails_its_test_only(i):
    """Does each plausible bug fail the test of its own rule, and only that one?"""
    mutant = ALL_MUTANTS[i]
    results = run_graded(mutant)
    failed = {gid for gid in TESTS if results[gid] is not None}
    assert failed == {f"test_{mutant['cell']}"}, (mutant["why"], results)


@pytest.mark.parametrize("i", range(len(ALL_ALTERNATIVES)), ids=lambda i: f"{ALL_ALTERNATIVES[i]['cell']}-{i}")
def test_alternative_passes_every_test(i):
    """Does each correct answer written differently pass every test?"""
    results = run_graded(ALL_ALTERNATIVES[i])
    assert all(results[gid] is None for gid in TESTS), (ALL_ALTERNATIVES[i]["why"], results)


def test_every_rule_has_two_mutants_and_an_alternative():
    """Does the kernel round trip see two mutants per rule, and is every rule given an alternative?"""
    for rule in RULES:
        assert sum(m["cell"] == rule for m in MUTANTS) >= 2, rule
        assert any(a["cell"] == rule for a in ALL_ALTERNATIVES), rule


def test_experiment_trains_with_the_notebooks_rules():
    """Does the experiment's optimiser really call the notebook's rule (and not the package's)?"""
    ns = {}
    exec(compile(CELLS["setup"].source, "setup", "exec"), ns)
    ns.update(N_HIDDEN=4, BATCH_SIZE=8, EPOCHS=2, DTYPE=np.float64)
    for gid in RULES:
        exec(compile(without_markers(CELLS[gid].source), gid, "exec"), ns)
    calls = []

    def counting_sgd(w, dw, state, lr):
        calls.append(w.shape)
        return w - lr * dw, state

    exec(compile(CELLS["plug"].source, "plug", "exec"), ns)
    ns["RULES"]["sgd"] = counting_sgd
    rng = np.random.default_rng(0)
    X, y = rng.random((16, 5)), rng.integers(0, 10, 16)
    run = ns["run_one"]("sgd", 0.1, 0, X, y, X, y)
    assert len(calls) == 2 * 2 * 4  # 2 epochs x 2 minibatches x 4 parameter arrays (W1, b1, W2, b2)
    assert run["status"] == "ok" and len(run["loss"]) == 3 and 0 <= run["accuracy"] <= 1
    diverged = ns["run_one"]("sgd", 1e300, 0, X, y, X, y)  # the weights overflow: recorded, not raised
    assert diverged["status"] == "diverged" and np.isnan(diverged["accuracy"])
