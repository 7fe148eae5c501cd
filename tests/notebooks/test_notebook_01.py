"""Notebook 01 (backprop and gradient checking): structure, and its graded cells run in-process.

Only the set-up, answer and test cells run, from scratch for each edit; see tests/notebooks/harness.py.
"""
import pytest

from tests.notebooks.harness import Notebook, structure_tests, unanswered

NB = Notebook("01_backprop_gradcheck", total_points=27)
globals().update(structure_tests(NB, n_true=5, helpers=("assert_close", "assert_shape", "forbid"),
                                 module=r"autoencoders\.grading"))


def test_hidden_tests_switch_off_the_package():
    """Does every hidden test cell call the student's code inside `forbid`?"""
    hidden = [gid for gid in NB.tests if "### BEGIN HIDDEN TESTS" in NB.cells[gid].source]
    assert len(hidden) == 7
    for gid in hidden:
        assert "with forbid(" in NB.cells[gid].source, gid


def test_reference_answers_pass_every_test_cell():
    """Do the reference answers pass every autograded test cell?"""
    results = NB.run_graded()
    assert {gid: exc for gid, exc in results.items() if exc is not None} == {}
    assert set(NB.tests) <= set(results)


def test_unanswered_notebook_fails_every_test_cell():
    """Does each test cell fail while its answer is still `raise NotImplementedError()`?"""
    for gid in NB.answers:
        tests = NB.graded_after(gid)
        results = NB.run_graded({"cell": gid, "source": unanswered(NB.cells[gid].source)}, only=tests)
        for test in tests:
            assert isinstance(results[test], Exception), f"{test} passes with {gid} unanswered"


@pytest.mark.parametrize("i", range(len(NB.all_mutants)))
def test_mutant_loses_points(i):
    """Does this plausible bug (extras included) fail at least one test cell of its exercise?"""
    mutant = NB.all_mutants[i]
    assert mutant.get("why"), f"mutant {i} needs a 'why'"
    targets = NB.targets_of(mutant)
    results = NB.run_graded(mutant, only=targets)
    assert any(isinstance(results[t], Exception) for t in targets), f"mutant {i} ({mutant['why']}) passes {targets}"


def test_every_test_cell_is_targeted_by_two_mutants():
    """Does every autograded test cell have at least two mutants (of those the pipeline runs) aimed at it?"""
    counts = {gid: 0 for gid in NB.tests}
    for mutant in NB.mutants:
        for t in NB.targets_of(mutant):
            counts[t] += 1
    assert min(counts.values()) >= 2, counts


@pytest.mark.parametrize("i", range(len(NB.alternatives)))
def test_alternative_gets_full_marks(i):
    """Does this correct answer, written differently, pass every test cell?"""
    results = NB.run_graded(NB.alternatives[i])
    failed = {gid: repr(exc)[:200] for gid, exc in results.items() if exc is not None}
    assert not failed, f"alternative {i} ({NB.alternatives[i]['why']}): {failed}"
