"""Notebook 04 (optimisers): cell metadata, and its graded cells run in-process against every mutant.

Only the set-up, answer and test cells run, from scratch for each edit, in about a second; see
tests/notebooks/harness.py.
"""
import re
import time
import warnings

import numpy as np
import pytest

from tests.notebooks.harness import Notebook, meta, strip_markers

NB = Notebook("04_optimisers", total_points=16)
RULES = ["sgd", "momentum", "rmsprop", "adam", "adagrad"]


def test_cells_carry_nbgrader_metadata_matching_their_role():
    """Does every cell have a unique grade_id, schema 3, and flags that fit what it is?"""
    NB.check_metadata()
    for cell in NB.nb.cells:
        m = meta(cell)
        assert m.get("task") is False, m
        if m["grade"] and not m["solution"]:  # every test cell hides part of its checks
            assert "### BEGIN HIDDEN TESTS" in cell.source, m


def test_each_rule_is_an_answer_followed_by_its_test():
    """Is every update rule a solution cell with its test cell right after it?"""
    order = [meta(c)["grade_id"] for c in NB.nb.cells]
    for rule in RULES:
        assert rule in NB.answers and order[order.index(rule) + 1] == f"test_{rule}"


def test_points_in_headings_match_the_metadata():
    """Does each '(N points' in a heading announce the points of the graded cells below it?"""
    sections = []
    for cell in NB.nb.cells:
        if cell.cell_type == "markdown":
            for found in re.finditer(r"^#+ .*\((\d+) points?", cell.source, re.MULTILINE):
                sections.append([int(found.group(1)), 0])
        if meta(cell).get("grade"):
            sections[-1][1] += meta(cell)["points"]
    assert all(announced == counted for announced, counted in sections), sections
    assert sum(meta(NB.cells[t])["points"] for t in NB.tests) == 10
    assert sum(meta(c).get("points", 0) for c in NB.nb.cells) == NB.total_points


def test_test_cells_import_their_helpers():
    """Does every test cell import numpy and its grading helpers itself (a student may redefine them)?"""
    for gid in NB.tests:
        source = NB.cells[gid].source
        assert "import numpy as np" in source, gid
        assert re.search(r"from autoencoders\.grading import assert_close, forbid", source), gid


def test_reference_answers_pass_quietly_and_fast(capsys):
    """Do the reference answers pass every test, without warnings or stderr, in well under a second?"""
    start = time.perf_counter()
    with warnings.catch_warnings():
        warnings.simplefilter("error")
        results = NB.run_graded()
    assert results and all(exc is None for exc in results.values()), results
    assert time.perf_counter() - start < 2.0
    assert capsys.readouterr().err == ""


def test_released_stubs_fail_every_test():
    """Does the untouched student notebook fail every test cell?"""
    results = NB.run_graded(released=True)
    assert all(isinstance(results[t], NotImplementedError) for t in NB.tests), results


@pytest.mark.parametrize("i", range(len(NB.all_mutants)), ids=lambda i: f"{NB.all_mutants[i]['cell']}-{i}")
def test_mutant_fails_its_test_only(i):
    """Does each plausible bug fail the test of its own rule, and only that one?"""
    mutant = NB.all_mutants[i]
    results = NB.run_graded(mutant)
    failed = {gid for gid in NB.tests if results[gid] is not None}
    assert failed == {f"test_{mutant['cell']}"}, (mutant["why"], results)


@pytest.mark.parametrize("i", range(len(NB.all_alternatives)), ids=lambda i: f"{NB.all_alternatives[i]['cell']}-{i}")
def test_alternative_passes_every_test(i):
    """Does each correct answer written differently pass every test?"""
    results = NB.run_graded(NB.all_alternatives[i])
    assert all(results[gid] is None for gid in NB.tests), (NB.all_alternatives[i]["why"], results)


def test_every_rule_has_two_mutants_and_an_alternative():
    """Does the kernel round trip see two mutants per rule, and is every rule given an alternative?"""
    for rule in RULES:
        assert sum(m["cell"] == rule for m in NB.mutants) >= 2, rule
        assert any(a["cell"] == rule for a in NB.all_alternatives), rule


def test_experiment_trains_with_the_notebooks_rules():
    """Does the experiment's optimiser really call the notebook's rule (and not the package's)?"""
    ns = {}
    exec(compile(NB.cells["setup"].source, "setup", "exec"), ns)
    ns.update(N_HIDDEN=4, BATCH_SIZE=8, EPOCHS=2, DTYPE=np.float64)
    for gid in RULES:
        exec(compile(strip_markers(NB.cells[gid].source), gid, "exec"), ns)
    calls = []

    def counting_sgd(w, dw, state, lr):
        calls.append(w.shape)
        return w - lr * dw, state

    exec(compile(NB.cells["plug"].source, "plug", "exec"), ns)
    ns["RULES"]["sgd"] = counting_sgd
    rng = np.random.default_rng(0)
    X, y = rng.random((16, 5)), rng.integers(0, 10, 16)
    run = ns["run_one"]("sgd", 0.1, 0, X, y, X, y)
    assert len(calls) == 2 * 2 * 4  # 2 epochs x 2 minibatches x 4 parameter arrays (W1, b1, W2, b2)
    assert run["status"] == "ok" and len(run["loss"]) == 3 and 0 <= run["accuracy"] <= 1
    diverged = ns["run_one"]("sgd", 1e300, 0, X, y, X, y)  # the weights overflow: recorded, not raised
    assert diverged["status"] == "diverged" and np.isnan(diverged["accuracy"])
