"""Notebook 07 (sparse autoencoders): structure, and its graded cells run in-process against every mutant.

Only the set-up, answer and test cells run, from scratch for each edit (the tests build their own data and
never read the experiments' results); see tests/notebooks/harness.py.
"""

import re

from tests.notebooks.harness import Notebook, NotebookTests
from tests.support.cells import meta

EXERCISES = ["kl_divergence", "kl_delta", "sparse_autoencoder_cost"]
WRITTEN = ["noise_answer", "filters_answer"]


class TestNotebook07(NotebookTests):
    NB = Notebook(
        "07_sparse_autoencoders",
        total_points=14,
        rerun="scratch",
        forbidding=[f"test_{name}" for name in EXERCISES],
    )
    N_TRUE = 6  # the gradient check, 3 for the binary patterns, 2 for the UFLDL run
    HELPERS = ("assert_close", "assert_shape", "forbid")
    HELPER_MODULE = r"autoencoders\.grading"
    TRUSTED = True

    def test_each_exercise_is_an_answer_followed_by_its_test(self):
        """Is every autograded exercise a solution cell with its one test cell right after it?"""
        order = [meta(c)["grade_id"] for c in self.NB.nb.cells]
        assert self.NB.answers == EXERCISES
        assert self.NB.tests == [f"test_{name}" for name in EXERCISES]
        for name in EXERCISES:
            assert order[order.index(name) + 1] == f"test_{name}"

    def test_points_split_into_autograded_and_written(self):
        """9 autograded points in 3 functions, 5 in 2 written answers graded by hand."""
        assert sum(meta(self.NB.cells[t])["points"] for t in self.NB.tests) == 9
        written = [meta(c)["grade_id"] for c in self.NB.nb.cells if c.cell_type == "markdown" and meta(c)["grade"]]
        assert written == WRITTEN
        assert sum(meta(self.NB.cells[w])["points"] for w in written) == 5

    def test_the_ufldl_run_uses_the_students_cost_and_lbfgs(self):
        """Does the UFLDL experiment minimise the student's own cost with L-BFGS, at the brief's settings?"""
        source = self.NB.cells["ufldl"].source
        assert "ae.optim.quasi_newton.lbfgs" in source and "sparse_autoencoder_cost(p, patches" in source
        assert "(10000, 400)" in source and "whiten=True" in source
        assert "RHO, BETA, LAM = 0.01, 3.0, 1e-4" in self.NB.cells["gradcheck"].source

    def test_no_test_reads_an_experiment(self):
        """Do the test cells build their own data instead of reading the experiments' variables?"""
        for gid in self.NB.tests:
            reads = set(re.findall(r"student\.(\w+)", self.NB.cells[gid].source))
            allowed = set(EXERCISES) | {"define"} | {r for r in reads if r.startswith("_")}
            assert reads <= allowed, (gid, reads - allowed)
