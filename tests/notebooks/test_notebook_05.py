"""Notebook 05 (a denoising autoencoder by hand): structure, and its graded cells run in-process.

Only the set-up, answer and test cells run, from scratch for each edit; see tests/notebooks/harness.py.
"""

from tests.notebooks.harness import Notebook, NotebookTests


class TestNotebook05(NotebookTests):
    NB = Notebook(
        "05_denoising_autoencoder",
        total_points=17,
        forbidding=["test_forward_hidden", "test_backward_hidden", "test_backward_batch", "test_moving_average_hidden"],
    )
    N_TRUE = 4  # standardised data (2), the error fell, units switched off
    TRUSTED = True
    HELPERS = ("assert_close", "assert_shape", "forbid")
    HELPER_MODULE = r"autoencoders\.grading"

    def test_methods_are_attached_to_the_class_in_their_own_cells(self):
        """Is each method its own answer cell, attached to the class, so each is written and graded alone?"""
        for method in ("forward", "backward", "update"):
            source = self.NB.cells[f"dae_{method}"].source
            assert f"DenoisingAutoencoder.{method} = {method}" in source
