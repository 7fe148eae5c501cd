"""Notebook 06 (sparse coding): structure, and its graded cells run in-process against every mutant.

Only the set-up, answer and test cells run, from scratch for each edit (the tests build their own data and
never read the experiments' results); see tests/notebooks/harness.py.
"""

import re
import warnings

from tests.notebooks.harness import Notebook, NotebookTests
from tests.support.cells import meta

EXERCISES = [
    "objective",
    "code_gradient",
    "dictionary_gradient",
    "soft_threshold",
    "ista_step",
    "reparam_gradient",
    "encoder_gradient",
]
WRITTEN = ["grad_W_answer", "grad_s_answer", "l1_answer", "grad_V_answer", "table_answer"]


class TestNotebook06(NotebookTests):
    NB = Notebook(
        "06_sparse_coding",
        total_points=28,
        rerun="scratch",
        forbidding=[f"test_{name}" for name in EXERCISES],
    )
    N_TRUE = 10  # 2 gradient checks, 2 for dictionary learning, 3 for the solvers, 3 for the encoders
    HELPERS = ("assert_close", "assert_shape", "forbid", "ref")
    HELPER_MODULE = r"autoencoders\.grading"
    TRUSTED = True

    def test_each_exercise_is_an_answer_followed_by_its_test(self):
        """Is every autograded exercise a solution cell with its one test cell right after it?"""
        order = [meta(c)["grade_id"] for c in self.NB.nb.cells]
        assert self.NB.answers == EXERCISES
        assert self.NB.tests == [f"test_{name}" for name in EXERCISES]
        for name in EXERCISES:
            assert order[order.index(name) + 1] == f"test_{name}"
            assert "### BEGIN HIDDEN TESTS" in self.NB.cells[f"test_{name}"].source, name

    def test_points_split_into_autograded_and_written(self):
        """16 autograded points in 7 functions, 12 in 5 written answers graded by hand."""
        assert sum(meta(self.NB.cells[t])["points"] for t in self.NB.tests) == 16
        written = [meta(c)["grade_id"] for c in self.NB.nb.cells if c.cell_type == "markdown" and meta(c)["grade"]]
        assert written == WRITTEN
        assert sum(meta(self.NB.cells[w])["points"] for w in written) == 12
        for gid in written:
            assert "### BEGIN SOLUTION" in self.NB.cells[gid].source, gid

    def test_reference_answers_pass_quietly(self, capsys):
        """Do the reference answers pass every test without warnings or stderr?"""
        with warnings.catch_warnings():
            warnings.simplefilter("error")
            results = self.NB.run_graded()
        assert results and all(exc is None for exc in results.values()), results
        assert capsys.readouterr().err == ""

    def test_experiments_run_the_students_functions(self):
        """Do the experiments hand the notebook's own functions to the package's loops?"""
        source = {gid: self.NB.cells[gid].source for gid in ("learn", "compare", "train_encoders")}
        assert "update=ista_step" in source["learn"] and "gradient=dictionary_gradient" in source["learn"]
        assert "update=ista_step" in source["compare"] and "gradient=reparam_gradient" in source["compare"]
        assert "gradient=encoder_gradient" in source["train_encoders"]

    def test_no_experiment_reads_a_hidden_name(self):
        """Do the test cells build their own data instead of reading the experiments' variables?"""
        for gid in self.NB.tests:
            reads = set(re.findall(r"student\.(\w+)", self.NB.cells[gid].source))
            allowed = set(EXERCISES) | {"define"} | {r for r in reads if r.startswith("_")}
            assert reads <= allowed, (gid, reads - allowed)
