"""Notebook 09 (denoising and contractive autoencoders): structure, and its graded cells run in-process.

Only the set-up, answer and test cells run, from scratch for each edit (the tests build their own data and
never read the experiments' results); see tests/notebooks/harness.py.
"""

import re

from tests.notebooks.harness import Notebook, NotebookTests
from tests.support.cells import meta

EXERCISES = ["encoder_jacobian", "contractive_penalty", "contractive_gradients"]
WRITTEN = ["filters_answer", "gradient_answer", "compare_answer"]


class TestNotebook09(NotebookTests):
    NB = Notebook(
        "09_denoising_and_contractive",
        total_points=15,
        rerun="scratch",
        forbidding=["test_encoder_jacobian", "test_contractive_penalty", "test_contractive_gradients"],
    )
    N_TRUE = 12  # masking (3), the same start (2), the penalty checks (4), the comparison (3)
    TRUSTED = True
    HELPERS = ("assert_close", "assert_shape", "forbid")
    HELPER_MODULE = r"autoencoders\.grading"

    def test_each_exercise_is_an_answer_followed_by_its_test(self):
        """Is every autograded exercise a solution cell with its one test cell right after it?"""
        order = [meta(c)["grade_id"] for c in self.NB.nb.cells]
        assert self.NB.answers == EXERCISES
        assert self.NB.tests == [f"test_{name}" for name in EXERCISES]
        for name in EXERCISES:
            assert order[order.index(name) + 1] == f"test_{name}"

    def test_points_split_into_autograded_and_written(self):
        """7 autograded points in 3 functions, 8 in 3 written answers graded by hand."""
        assert sum(meta(self.NB.cells[t])["points"] for t in self.NB.tests) == 7
        written = [meta(c)["grade_id"] for c in self.NB.nb.cells if c.cell_type == "markdown" and meta(c)["grade"]]
        assert written == WRITTEN
        assert sum(meta(self.NB.cells[w])["points"] for w in written) == 8

    def test_the_experiments_keep_their_promises(self):
        """Same seed for every level, the four levels of the lecture, the student's penalty measures the Jacobians."""
        source = {gid: self.NB.cells[gid].source for gid in ("data", "train_levels", "train_contractive")}
        assert "LEVELS = (0.0, 0.1, 0.25, 0.5)" in source["data"]
        assert 'source="subset" if FAST else "auto"' in source["data"]
        assert "seed=SEED" in source["train_levels"] and "tied=True" in source["train_levels"]
        assert "contractive_penalty(X_test" in source["train_contractive"]

    def test_no_test_cell_reads_a_notebook_variable(self):
        """Do the test cells reach only the exercises (and helpers they define) through `student`?"""
        for gid in self.NB.tests:
            reads = set(re.findall(r"student\.(\w+)", self.NB.cells[gid].source))
            assert reads <= set(EXERCISES) | {"define"}, (gid, reads - set(EXERCISES))
