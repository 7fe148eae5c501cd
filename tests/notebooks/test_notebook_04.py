"""Notebook 04 (optimisers): structure, and its graded cells run in-process against every mutant.

Only the set-up, answer and test cells run, from scratch for each edit; see tests/notebooks/harness.py.
"""

import warnings

import numpy as np

from tests.notebooks.harness import Notebook, NotebookTests
from tests.support.cells import meta, strip_markers

RULES = ["sgd", "momentum", "rmsprop", "adam", "adagrad"]


class TestNotebook04(NotebookTests):
    NB = Notebook("04_optimisers", total_points=16)
    HELPERS = ("assert_close", "forbid")
    HELPER_MODULE = r"autoencoders\.grading"
    TRUSTED = True

    def test_every_test_cell_hides_part_of_its_checks(self):
        """Is every cell's `task` flag off, and does every test cell hide part of its checks?"""
        for cell in self.NB.nb.cells:
            m = meta(cell)
            assert m.get("task") is False, m
            if m["grade"] and not m["solution"]:
                assert "### BEGIN HIDDEN TESTS" in cell.source, m
        assert sum(meta(self.NB.cells[t])["points"] for t in self.NB.tests) == 10

    def test_each_rule_is_an_answer_followed_by_its_test(self):
        """Is every update rule a solution cell with its test cell right after it?"""
        order = [meta(c)["grade_id"] for c in self.NB.nb.cells]
        for rule in RULES:
            assert rule in self.NB.answers and order[order.index(rule) + 1] == f"test_{rule}"

    def test_reference_answers_pass_quietly(self, capsys):
        """Do the reference answers pass every test without warnings or stderr?"""
        with warnings.catch_warnings():
            warnings.simplefilter("error")
            results = self.NB.run_graded()
        assert results and all(exc is None for exc in results.values()), results
        assert capsys.readouterr().err == ""

    def test_experiment_trains_with_the_notebooks_rules(self):
        """Does the experiment's optimiser really call the notebook's rule (and not the package's)?"""
        ns = {}
        exec(compile(self.NB.cells["setup"].source, "setup", "exec"), ns)
        ns.update(N_HIDDEN=4, BATCH_SIZE=8, EPOCHS=2, DTYPE=np.float64)
        for gid in RULES:
            exec(compile(strip_markers(self.NB.cells[gid].source), gid, "exec"), ns)
        calls = []

        def counting_sgd(w, dw, state, lr):
            calls.append(w.shape)
            return w - lr * dw, state

        exec(compile(self.NB.cells["plug"].source, "plug", "exec"), ns)
        ns["RULES"]["sgd"] = counting_sgd
        rng = np.random.default_rng(0)
        X, y = rng.random((16, 5)), rng.integers(0, 10, 16)
        run = ns["run_one"]("sgd", 0.1, 0, X, y, X, y)
        assert len(calls) == 2 * 2 * 4  # 2 epochs x 2 minibatches x 4 parameter arrays (W1, b1, W2, b2)
        assert run["status"] == "ok" and len(run["loss"]) == 3 and 0 <= run["accuracy"] <= 1
        diverged = ns["run_one"]("sgd", 1e300, 0, X, y, X, y)  # the weights overflow: recorded, not raised
        assert diverged["status"] == "diverged" and np.isnan(diverged["accuracy"])
