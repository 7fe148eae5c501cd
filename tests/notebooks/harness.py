"""In-process harness for the source notebooks: read one with its mutants, run its graded cells, check its structure.

The real round trip (nbgrader, kernels) is tests/test_pipeline.py. Here code cells run in a plain namespace, as the
kernel would run them, so a test file takes seconds. Two runners: `run_graded` (set-up, answers and tests only, from
scratch) and `run_edited` (every code cell up to the last test, restarting from a snapshot before the edited answer).
"""
import re
import runpy
import warnings
from functools import lru_cache
from pathlib import Path

import matplotlib.pyplot as plt
import nbformat
import pytest

from tests.support import SOLUTIONS
MARKERS = ("### BEGIN SOLUTION", "### END SOLUTION", "### BEGIN HIDDEN TESTS", "### END HIDDEN TESTS")
STUB = "# YOUR CODE HERE\nraise NotImplementedError()"  # nbgrader_config.py's code stub


def meta(cell):
    """The cell's nbgrader metadata ({} if none)."""
    return cell.metadata.get("nbgrader", {})


def is_test(cell):
    """Is this an autograded test cell (graded code that is not an answer)?"""
    return cell.cell_type == "code" and meta(cell).get("grade") and not meta(cell).get("solution")


def strip_markers(source):
    """The source as the instructor runs it: solution and hidden-test markers removed."""
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


def unanswered(source):
    """The answer cell with its solution region replaced by `raise NotImplementedError()`."""
    return re.sub(r"### BEGIN SOLUTION.*?### END SOLUTION", "raise NotImplementedError()", source, flags=re.DOTALL)


def apply(edit, source):
    """The source after a mutant or alternative: a whole new `source`, or `find` replaced by `replace`."""
    if "source" in edit:
        return edit["source"]
    assert edit["find"] in source, f"stale edit: {edit['find']!r} not in cell {edit['cell']!r}"
    return source.replace(edit["find"], edit["replace"])


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

    def __init__(self, name, total_points, forbidding=(), expensive=(), training_cell=None):
        self.name, self.total_points = name, total_points
        self.forbidding = list(forbidding)  # hidden tests of functions a student could delegate to the package
        self.expensive = list(expensive)  # answers the trainings in training_cell depend on
        self.training_cell = training_cell  # reruns reaching past this cell are slow
        folder = SOLUTIONS / name
        self.nb = nbformat.read(folder / f"{name}.ipynb", as_version=4)
        edits = runpy.run_path(str(folder / "mutants.py"))
        self.mutants, self.alternatives = edits["MUTANTS"], edits["ALTERNATIVES"]  # also graded in kernels
        self.all_mutants = self.mutants + edits.get("EXTRA_MUTANTS", [])  # the extras are checked here only
        self.all_alternatives = self.alternatives + edits.get("EXTRA_ALTERNATIVES", [])
        self.code = [c for c in self.nb.cells if c.cell_type == "code"]
        self.cells = {meta(c)["grade_id"]: c for c in self.nb.cells}
        self.answers = [meta(c)["grade_id"] for c in self.code if meta(c).get("solution")]
        self.tests = [meta(c)["grade_id"] for c in self.code if is_test(c)]
        self.position = {meta(c)["grade_id"]: i for i, c in enumerate(self.code)}
        self.last_test = max(self.position[t] for t in self.tests)
        self.reference = lru_cache(maxsize=1)(self._reference)  # cached per notebook
        self.mutant_results = lru_cache(maxsize=None)(self._mutant_results)

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
        exec(compile(self.cells["setup"].source, "setup", "exec"), ns)
        for gid in [meta(c)["grade_id"] for c in self.code]:
            if gid not in self.answers + self.tests or (gid in self.tests and only is not None and gid not in only):
                continue
            source = self.cells[gid].source
            source = as_released(source) if released and gid in self.answers else strip_markers(source)
            if edit is not None and edit["cell"] == gid:
                source = apply(edit, source)
            results[gid] = exec_cell(ns, gid, source, ignore=RuntimeWarning)
        return results

    # ------------------------------------------------------------ every code cell, rerun from snapshots

    def _run(self, ns, start, stop, edit=None, snapshots=None):
        """Exec code cells start..stop (inclusive) in ns; {test id: exception or None}."""
        results = {}
        for cell in self.code[start:stop + 1]:
            gid = meta(cell)["grade_id"]
            if snapshots is not None and gid in self.answers:
                snapshots[gid] = dict(ns)  # shallow: later cells rebind names, they never change arrays in place
            source = strip_markers(cell.source)
            if edit is not None and edit["cell"] == gid:
                source = apply(edit, source)
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

    def _mutant_results(self, i):
        """{test id: exception or None} for mutant i, run up to the last of its target test cells."""
        return self.run_edited(self.mutants[i], stop_after=self.targets_of(self.mutants[i]))

    def is_expensive(self, edit, targets=None):
        """Does this edit rerun the trainings of training_cell (a few seconds)?"""
        reaches = targets is None or max(self.position[t] for t in targets) > self.position[self.training_cell]
        return edit["cell"] in self.expensive and reaches

    def params(self, edits, with_targets):
        """Indices of edits for parametrize, marked slow where they rerun the trainings."""
        return [pytest.param(i, marks=[pytest.mark.slow] if self.is_expensive(e, self.targets_of(e) if with_targets
                                                                               else None) else [])
                for i, e in enumerate(edits)]

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
        sections, current = [], None
        for cell in self.nb.cells:
            found = re.search(r"^###? .*\((\d+) points?", cell.source, re.M) if cell.cell_type == "markdown" else None
            if found or (cell.cell_type == "markdown" and cell.source.startswith("#")):
                current = [int(found.group(1)) if found else 0, 0]
                sections.append(current)
            if meta(cell).get("grade") and current is not None:
                current[1] += meta(cell)["points"]
        assert sections and all(announced == counted for announced, counted in sections), sections
        assert sum(meta(c).get("points", 0) for c in self.nb.cells) == self.total_points

    def check_test_imports(self, helpers, module=r"autoencoders\.\w+"):
        """Assert every test cell imports what it uses, so a student's redefinition cannot change a test."""
        for gid in self.tests:
            src = self.cells[gid].source
            for name, imported in [("np.", "import numpy as np"), ("ae.", "import autoencoders as ae"),
                                   ("pd.", "import pandas as pd")]:
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
        """Assert outputs are stored for nbval-checked cells only, and they print True n_true times, never False."""
        checked = [c for c in self.code if "# NBVAL_CHECK_OUTPUT" in c.source]
        assert checked
        for cell in self.code:
            assert bool(cell.outputs) == (cell in checked), meta(cell)["grade_id"]
        text = "".join(o.get("text", "") for c in checked for o in c.outputs)
        assert text.count("True") == n_true and "False" not in text


HELPERS = ("assert_close", "assert_shape", "forbid", "rel_error", "numerical_gradient")


def structure_tests(nb, n_true, helpers=HELPERS, module=r"autoencoders\.\w+"):
    """The structure tests every notebook shares, for the test module's globals()."""

    def test_every_cell_carries_nbgrader_metadata():
        """Does every cell have a unique grade_id, schema 3, and flags that match its role?"""
        nb.check_metadata()

    def test_points_announced_in_headings_match_the_metadata():
        """Does each '(N points' heading announce exactly the points of the graded cells below it?"""
        nb.check_points()

    def test_test_cells_import_their_helpers():
        """Does every test cell import what it uses, so a student's redefinition cannot change a test?"""
        nb.check_test_imports(helpers, module)

    def test_only_checked_cells_store_outputs():
        """Are outputs stored for the nbval-checked cells only, and do they report every check as True?"""
        nb.check_outputs(n_true)

    return {name: test for name, test in locals().items() if name.startswith("test_")}


def snapshot_tests(nb):
    """The running tests of a notebook rerun from snapshots by `run_edited` (02, 03), for globals()."""

    def test_hidden_tests_of_functions_switch_off_the_package():
        """Do the hidden tests of the functions a student could delegate call the student's code inside `forbid`?"""
        nb.check_forbidding()

    def test_reference_answers_pass_every_test_cell():
        """Do the reference answers pass every autograded test cell?"""
        results, _ = nb.reference()
        assert set(results) == set(nb.tests)
        assert {gid: repr(exc)[:300] for gid, exc in results.items() if exc is not None} == {}

    @pytest.mark.parametrize("gid", nb.answers)
    def test_unanswered_answer_fails_its_test_cells(gid):
        """Does each test cell fail while its answer is still `raise NotImplementedError()`?"""
        tests = nb.graded_after(gid)
        results = nb.run_edited({"cell": gid, "source": unanswered(nb.cells[gid].source)}, stop_after=tests)
        for test in tests:
            assert isinstance(results[test], Exception), f"{test} passes with {gid} unanswered"

    @pytest.mark.parametrize("i", nb.params(nb.mutants, with_targets=True))
    def test_mutant_loses_points(i):
        """Does this plausible bug fail at least one test cell of its exercise?"""
        mutant = nb.mutants[i]
        assert mutant.get("why"), f"mutant {i} needs a 'why'"
        targets, results = nb.targets_of(mutant), nb.mutant_results(i)
        assert any(isinstance(results[t], Exception) for t in targets), f"mutant {i} ({mutant['why']}) passes {targets}"

    @pytest.mark.slow
    def test_every_test_cell_loses_points_to_two_mutants():
        """Does every autograded test cell fail for at least two of the mutants aimed at it (the pipeline's rule)?"""
        caught = {gid: [] for gid in nb.tests}
        for i, mutant in enumerate(nb.mutants):
            for t in nb.targets_of(mutant):
                if isinstance(nb.mutant_results(i)[t], Exception):
                    caught[t].append(i)
        assert all(len(ids) >= 2 for ids in caught.values()), caught

    @pytest.mark.parametrize("i", nb.params(nb.alternatives, with_targets=False))
    def test_alternative_gets_full_marks(i):
        """Does this correct answer, written differently, pass every test cell after it?"""
        results = nb.run_edited(nb.alternatives[i])
        failed = {gid: repr(exc)[:200] for gid, exc in results.items() if exc is not None}
        assert not failed, f"alternative {i} ({nb.alternatives[i]['why']}): {failed}"

    return {name: test for name, test in locals().items() if name.startswith("test_")}
