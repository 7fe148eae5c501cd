"""Notebook 01 (backprop and gradient checking): structure, and its graded cells run in-process.

Only the set-up, answer and test cells run, from scratch for each edit; see tests/notebooks/harness.py.
"""

from tests.notebooks.harness import Notebook, NotebookTests


class TestNotebook01(NotebookTests):
    NB = Notebook("01_backprop_gradcheck", total_points=27)
    N_TRUE = 5
    HELPERS = ("assert_close", "assert_shape", "forbid")
    HELPER_MODULE = r"autoencoders\.grading"
    TRUSTED = True

    def test_seven_hidden_tests_switch_off_the_package(self):
        """Does every one of the seven hidden test cells call the student's code inside `forbid`?"""
        assert len(self.NB.forbidding) == 7
