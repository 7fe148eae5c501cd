"""Notebook 03 (the linear autoencoder and PCA): structure, and its graded cells run in-process in fast mode.

Every code cell runs up to the last test cell (the figures after it are skipped); see tests/notebooks/harness.py.
"""

from tests.notebooks.harness import Notebook, NotebookTests
from tests.support.cells import unanswered


class TestNotebook03(NotebookTests):
    NB = Notebook(
        "03_linear_autoencoder_pca",
        total_points=17,
        rerun="snapshot",
        forbidding=["test_pca_svd_hidden", "test_principal_angles_hidden"],
        expensive=["pca_svd", "principal_angles"],
        training_cell="train_models",
    )  # the three trainings
    N_TRUE = 4  # both checks for both models
    TRUSTED = True

    def test_a_crashing_pca_svd_does_not_cost_the_ratios(self):
        """Do the ratios of Exercise 3 still pass when pca_svd (Exercise 1) raises, as the notebook promises?"""
        source = unanswered(self.NB.cells["pca_svd"].source)
        targets = ["test_ratios_public", "test_ratios_hidden"]
        results = self.NB.results({"cell": "pca_svd", "source": source}, targets)
        assert {t: results[t] for t in targets} == {t: None for t in targets}
