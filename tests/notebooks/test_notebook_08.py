"""Notebook 08 (stacked denoising autoencoders): structure, and its graded cells run in-process.

Only the set-up, answer and test cells run, from scratch for each edit (the tests build their own data and never
read the experiments' results); see tests/notebooks/harness.py.
"""

import re

from tests.notebooks.harness import Notebook, NotebookTests
from tests.support.cells import meta

EXERCISES = ["softmax", "softmax_cross_entropy", "softmax_regression"]
WRITTEN = ["gradient_answer", "filters_answer", "experiment_answer"]


class TestNotebook08(NotebookTests):
    NB = Notebook(
        "08_stacked_denoising_autoencoders",
        total_points=15,
        rerun="scratch",
        forbidding=[f"test_{name}" for name in EXERCISES],
    )
    N_TRUE = 9  # 3 checks of the functions, 2 of the data, 2 pretraining curves, fine-tuning, the experiment
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
            assert "### BEGIN HIDDEN TESTS" in self.NB.cells[f"test_{name}"].source, name

    def test_points_split_into_autograded_and_written(self):
        """8 autograded points in 3 functions, 7 in 3 written answers graded by hand."""
        assert sum(meta(self.NB.cells[t])["points"] for t in self.NB.tests) == 8
        written = [meta(c)["grade_id"] for c in self.NB.nb.cells if c.cell_type == "markdown" and meta(c)["grade"]]
        assert written == WRITTEN
        assert sum(meta(self.NB.cells[w])["points"] for w in written) == 7

    def test_experiments_use_the_tutorials_settings(self):
        """Masking noise at 10 %, alpha = 0.1, batches of 128, rho = 0.02, beta = 0.4, 625 then 100 units."""
        setup = self.NB.cells["setup"].source
        for text in ("NOISE_LEVEL = 0.1", "LEARNING_RATE = 0.1", "BATCH_SIZE = 128", "RHO, BETA = 0.02, 0.4"):
            assert text in setup, text
        assert setup.count("(625, 100)") == 2  # the default and the full-size run
        assert 'noise="masking"' in self.NB.cells["layer1"].source
        assert "softmax_regression(" in self.NB.cells["head"].source  # the head uses the student's function

    def test_no_test_reads_a_notebook_variable(self):
        """Do the test cells call only the exercises and their own helpers through `student`?"""
        for gid in self.NB.tests:
            reads = set(re.findall(r"student\.(\w+)", self.NB.cells[gid].source))
            allowed = set(EXERCISES) | {"define"} | {r for r in reads if r.startswith("_")}
            assert reads <= allowed, (gid, reads - allowed)
