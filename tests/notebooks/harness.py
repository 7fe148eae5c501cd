"""In-process harness for the source notebooks: read one with its mutants, run its graded cells, check its structure.

The real round trip (nbgrader, kernels) is tests/pipeline/. Here code cells run in a plain namespace, as the
kernel would run them, so a test file takes seconds. Two ways to rerun a notebook for an edit:
- "scratch": set-up, answers and test cells only, from scratch (notebooks whose tests need no experiment);
- "snapshot": every code cell up to the last test, restarting from a snapshot taken before the edited answer.

Each test module subclasses `NotebookTests` with its Notebook; conftest.py parametrizes the `mutant` and
`alternative` arguments of its tests from that Notebook.
"""

import re
import warnings
from functools import lru_cache

import matplotlib.pyplot as plt
import nbformat
import pytest

from autoencoders.course.execute import is_trusted_test_cell
from autoencoders.grading import use_namespace
from tests.support import SOLUTIONS
from tests.support.cells import apply_edit, as_released, is_test, load_mutants, meta, strip_markers, unanswered


def exec_cell(ns, gid, source, ignore):
    """Exec one cell's source in ns; the exception it raised, or None."""
    try:
        with warnings.catch_warnings():  # a mutant may overflow or divide by zero; nbgrader's stderr fix covers that
            warnings.simplefilter("ignore", ignore)
            exec(compile(source, gid, "exec"), ns)
    except Exception as exc:  # a failing test cell (or a broken answer) is a result, not a crash
        return exc
    return None


class Notebook:
    """One source notebook in solutions/, its mutants and alternatives, and the per-notebook constants."""

    def __init__(self, name, total_points, rerun="scratch", forbidding=None, expensive=(), training_cell=None):
        if rerun not in ("scratch", "snapshot"):
            raise ValueError(f"rerun must be 'scratch' or 'snapshot', got {rerun!r}")
        self.name, self.total_points, self.rerun = name, total_points, rerun
        self.expensive = list(expensive)  # answers the trainings in training_cell depend on
        self.training_cell = training_cell  # reruns reaching past this cell are slow
        folder = SOLUTIONS / name
        self.nb = nbformat.read(folder / f"{name}.ipynb", as_version=4)
        edits = load_mutants(folder)
        self.mutants, self.alternatives = edits["mutants"], edits["alternatives"]  # also graded in kernels
        self.all_mutants = self.mutants + edits["extra_mutants"]  # the extras are checked here only
        self.all_alternatives = self.alternatives + edits["extra_alternatives"]
        self.code = [c for c in self.nb.cells if c.cell_type == "code"]
        self.cells = {meta(c)["grade_id"]: c for c in self.nb.cells}
        self.answers = [meta(c)["grade_id"] for c in self.code if meta(c).get("solution")]
        self.tests = [meta(c)["grade_id"] for c in self.code if is_test(c)]
        self.position = {meta(c)["grade_id"]: i for i, c in enumerate(self.code)}
        self.last_test = max(self.position[t] for t in self.tests)
        hidden = [t for t in self.tests if "### BEGIN HIDDEN TESTS" in self.cells[t].source]
        # hidden tests of functions a student could delegate to the package (default: every hidden test)
        self.forbidding = hidden if forbidding is None else list(forbidding)
        self.reference = lru_cache(maxsize=1)(self._reference)  # cached per notebook

    def graded_after(self, cell_id):
        """Test cells between solution cell cell_id and the next solution cell (the pipeline's default)."""
        found, after = [], False
        for cell in self.nb.cells:
            if meta(cell).get("solution"):
                if after and found:
                    break
                after = after or meta(cell)["grade_id"] == cell_id
            elif after and is_test(cell):
                found.append(meta(cell)["grade_id"])
        return found

    def targets_of(self, edit):
        """The test cells an edit is aimed at: its `exercise`, else the tests after its cell."""
        targets = edit.get("exercise") or self.graded_after(edit["cell"])
        return [targets] if isinstance(targets, str) else list(targets)

    # ------------------------------------------------------------ from scratch: set-up, answers and tests

    def run_graded(self, edit=None, only=None, released=False):
        """Exec set-up, answers (one edited) and tests (those in only) in order; {grade_id: exception or None}."""
        ns, results = {}, {}
        use_namespace(ns)  # test cells reach the answers through `student`, as in a kernel
        exec(compile(self.cells["setup"].source, "setup", "exec"), ns)
        for gid in [meta(c)["grade_id"] for c in self.code]:
            if gid not in self.answers + self.tests or (gid in self.tests and only is not None and gid not in only):
                continue
            source = self.cells[gid].source
            source = as_released(source) if released and gid in self.answers else strip_markers(source)
            if edit is not None and edit["cell"] == gid:
                source = apply_edit(edit, source)
            results[gid] = exec_cell(ns, gid, source, ignore=RuntimeWarning)
        return results

    # ------------------------------------------------------------ every code cell, rerun from snapshots

    def _run(self, ns, start, stop, edit=None, snapshots=None):
        """Exec code cells start..stop (inclusive) in ns; {test id: exception or None}."""
        results = {}
        use_namespace(ns)
        for cell in self.code[start : stop + 1]:
            gid = meta(cell)["grade_id"]
            if snapshots is not None and gid in self.answers:
                snapshots[gid] = dict(ns)  # shallow: later cells rebind names, they never change arrays in place
            source = strip_markers(cell.source)
            if edit is not None and edit["cell"] == gid:
                source = apply_edit(edit, source)
            error = exec_cell(ns, gid, source, ignore=Warning)
            if gid in self.tests:
                results[gid] = error
        plt.close("all")
        return results

    def _reference(self):
        """(test results, {answer id: namespace just before that answer}) of the unedited notebook."""
        snapshots = {}
        results = self._run({"__name__": "__main__"}, 0, self.last_test, snapshots=snapshots)
        return results, snapshots

    def run_edited(self, edit, stop_after=None):
        """Rerun from the snapshot before the edited answer, up to the last of stop_after (default: every test)."""
        _, snapshots = self.reference()
        stop = self.last_test if stop_after is None else max(self.position[t] for t in stop_after)
        return self._run(dict(snapshots[edit["cell"]]), self.position[edit["cell"]], stop, edit=edit)

    def results(self, edit=None, targets=None):
        """{test id: exception or None} with edit applied, for the tests in targets (default: every test)."""
        if self.rerun == "scratch":
            return self.run_graded(edit, only=targets)
        if edit is None:
            return self.reference()[0]
        return self.run_edited(edit, stop_after=targets)

    def is_expensive(self, edit, targets=None):
        """Does this edit rerun the trainings of training_cell (a few seconds)?"""
        if self.training_cell is None:
            return False
        reaches = targets is None or max(self.position[t] for t in targets) > self.position[self.training_cell]
        return edit["cell"] in self.expensive and reaches

    def params(self, edits, with_targets):
        """Indices of edits for parametrize, marked slow where they rerun the trainings."""
        return [
            pytest.param(
                i,
                id=f"{e['cell']}-{i}",
                marks=[pytest.mark.slow] if self.is_expensive(e, self.targets_of(e) if with_targets else None) else [],
            )
            for i, e in enumerate(edits)
        ]

    # ------------------------------------------------------------ structure checks

    def check_metadata(self):
        """Assert every cell has a unique grade_id, schema 3, and flags that match its role."""
        ids = [meta(c).get("grade_id") for c in self.nb.cells]
        assert None not in ids and len(set(ids)) == len(ids)
        for cell in self.nb.cells:
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

    def check_points(self):
        """Assert each '(N points' heading announces the points of the graded cells below it, and the total."""
        sections = []
        for cell in self.nb.cells:
            if cell.cell_type == "markdown":
                for found in re.finditer(r"^#+ .*\((\d+) points?", cell.source, re.M):
                    sections.append([int(found.group(1)), 0])
            if meta(cell).get("grade") and sections:
                sections[-1][1] += meta(cell)["points"]
        assert sections and all(announced == counted for announced, counted in sections), sections
        assert sum(meta(c).get("points", 0) for c in self.nb.cells) == self.total_points

    def check_test_imports(self, helpers, module=r"autoencoders\.\w+"):
        """Assert every test cell imports what it uses, so a student's redefinition cannot change a test."""
        for gid in self.tests:
            src = self.cells[gid].source
            for name, imported in [
                ("np.", "import numpy as np"),
                ("ae.", "import autoencoders as ae"),
                ("pd.", "import pandas as pd"),
            ]:
                assert name not in src or imported in src, f"{gid} uses {name} without `{imported}`"
            for helper in helpers:
                if re.search(rf"\b{helper}\(", src):
                    assert re.search(rf"from {module} import .*\b{helper}\b", src), f"{gid}: import {helper}"

    def check_forbidding(self):
        """Assert the hidden tests in forbidding call the student's code inside `forbid`."""
        for gid in self.forbidding:
            src = self.cells[gid].source
            assert "### BEGIN HIDDEN TESTS" in src and "forbid(" in src, gid
            assert re.search(r"^\s*with (inner, )?forbid\(", src, re.M), gid

    def check_outputs(self, n_true):
        """Assert outputs are stored for nbval-checked cells only; they print True n_true times, never False."""
        checked = [c for c in self.code if "# NBVAL_CHECK_OUTPUT" in c.source]
        assert checked
        for cell in self.code:
            assert bool(cell.outputs) == (cell in checked), meta(cell)["grade_id"]
        if n_true is not None:
            text = "".join(o.get("text", "") for c in checked for o in c.outputs)
            assert text.count("True") == n_true and "False" not in text


HELPERS = ("assert_close", "assert_shape", "forbid", "rel_error", "numerical_gradient")


class NotebookTests:
    """The tests every graded notebook gets; a test module subclasses this with its own NB and settings."""

    NB: Notebook  # the notebook under test
    N_TRUE = None  # how many times the nbval-checked outputs print True (None: they print no checks)
    HELPERS = HELPERS  # grading helpers a test cell must import itself when it uses them
    HELPER_MODULE = r"autoencoders\.\w+"
    TRUSTED = False  # every test cell uses `student`, so it is graded in the trusted kernel
    MIN_MUTANTS = 4  # plausible bugs per answer cell (MUTANTS + EXTRA_MUTANTS)

    def test_test_cells_are_written_for_the_trusted_kernel(self):
        """Does every test cell reach the student's code only through `student` (TRUSTED notebooks)?"""
        if not self.TRUSTED:
            pytest.skip("this notebook's test cells still run in the student's kernel")
        old_form = [gid for gid in self.NB.tests if not is_trusted_test_cell(self.NB.cells[gid])]
        assert not old_form, f"test cells that do not use `student`: {old_form}"
        assert not any("globals()" in self.NB.cells[gid].source for gid in self.NB.tests)

    def test_every_cell_carries_nbgrader_metadata(self):
        """Does every cell have a unique grade_id, schema 3, and flags that match its role?"""
        self.NB.check_metadata()

    def test_points_announced_in_headings_match_the_metadata(self):
        """Does each '(N points' heading announce exactly the points of the graded cells below it?"""
        self.NB.check_points()

    def test_test_cells_import_their_helpers(self):
        """Does every test cell import what it uses, so a student's redefinition cannot change a test?"""
        self.NB.check_test_imports(self.HELPERS, self.HELPER_MODULE)

    def test_only_checked_cells_store_outputs(self):
        """Are outputs stored for the nbval-checked cells only, and do they report every check as True?"""
        self.NB.check_outputs(self.N_TRUE)

    def test_hidden_tests_of_functions_switch_off_the_package(self):
        """Do the hidden tests of the functions a student could delegate call the student's code inside `forbid`?"""
        assert self.NB.forbidding
        self.NB.check_forbidding()

    def test_reference_answers_pass_every_test_cell(self):
        """Do the reference answers pass every autograded test cell?"""
        results = self.NB.results()
        assert set(self.NB.tests) <= set(results)
        assert {gid: repr(exc)[:300] for gid, exc in results.items() if exc is not None} == {}

    def test_untouched_notebook_fails_every_test_saying_not_written_yet(self):
        """Does the released notebook, answers untouched, fail every test cell with 'not written yet'?"""
        results = self.NB.run_graded(released=True)
        wrong = {t: repr(results[t])[:200] for t in self.NB.tests if "not written yet" not in str(results[t])}
        assert not wrong, f"test cells that pass or fail with an incidental error on the untouched notebook: {wrong}"

    def test_mutant_fails_no_test_of_another_exercise(self, mutant):
        """Does this plausible bug leave the test cells of every other exercise passing?"""
        if self.NB.rerun != "scratch":
            pytest.skip("rerunning every test after each edit would retrain this notebook's experiments")
        edit = self.NB.all_mutants[mutant]
        results = self.NB.run_graded(edit)
        outside = {t for t in self.NB.tests if results[t] is not None} - set(self.NB.targets_of(edit))
        assert not outside, f"mutant {mutant} ({edit['why']}) also fails {sorted(outside)}"

    def test_every_exercise_has_four_mutants_and_two_alternatives(self):
        """Does every answer cell with tests after it have at least 4 plausible bugs and 2 correct rewrites?"""
        for answer in self.NB.answers:
            if not self.NB.graded_after(answer):
                continue
            n_mutants = sum(m["cell"] == answer for m in self.NB.all_mutants)
            n_alternatives = sum(a["cell"] == answer for a in self.NB.all_alternatives)
            assert n_mutants >= self.MIN_MUTANTS and n_alternatives >= 2, (answer, n_mutants, n_alternatives)

    def test_unanswered_answer_fails_its_test_cells(self, answer):
        """Does each test cell fail while its answer is still `raise NotImplementedError()`?"""
        tests = self.NB.graded_after(answer)
        results = self.NB.results({"cell": answer, "source": unanswered(self.NB.cells[answer].source)}, tests)
        for test in tests:
            assert isinstance(results[test], Exception), f"{test} passes with {answer} unanswered"

    def test_mutant_loses_points(self, mutant):
        """Does this plausible bug (extras included) fail every test cell it is aimed at?

        Each of its targets must lose points, not only one of them: the pipeline's cover (tests/pipeline/
        submissions.py: plan) counts a mutant for every test cell it targets. A bug only the hidden test sees
        names that test as its `exercise`.
        """
        edit = self.NB.all_mutants[mutant]
        assert edit.get("why"), f"mutant {mutant} needs a 'why'"
        targets = self.NB.targets_of(edit)
        results = self.NB.results(edit, targets)
        passed = [t for t in targets if not isinstance(results[t], Exception)]
        assert not passed, f"mutant {mutant} ({edit['why']}) passes {passed}: fix the test, or aim it elsewhere"

    def test_every_test_cell_is_targeted_by_two_mutants(self):
        """Does every autograded test cell have at least two mutants (of those the pipeline runs) aimed at it?"""
        counts = {gid: 0 for gid in self.NB.tests}
        for edit in self.NB.mutants:
            for t in self.NB.targets_of(edit):
                counts[t] += 1
        assert min(counts.values()) >= 2, counts

    def test_alternative_gets_full_marks(self, alternative):
        """Does this correct answer, written differently, pass every test cell?"""
        edit = self.NB.all_alternatives[alternative]
        results = self.NB.results(edit)
        failed = {gid: repr(exc)[:200] for gid, exc in results.items() if exc is not None}
        assert not failed, f"alternative {alternative} ({edit['why']}): {failed}"
