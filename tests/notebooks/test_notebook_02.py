"""Notebook 02 (MNIST autoencoders): structure, and its graded cells run in-process in fast mode.

Every code cell runs up to the last test cell (the figures after it are skipped); see tests/notebooks/harness.py.
"""

from tests.notebooks.harness import Notebook, NotebookTests


class TestNotebook02(NotebookTests):
    NB = Notebook(
        "02_mnist_autoencoders",
        total_points=18,
        rerun="snapshot",
        forbidding=["test_sgd_step_hidden", "test_train_epoch_hidden"],
        expensive=["sgd_step", "train_epoch", "run_grid"],
        training_cell="run_grid",
    )  # the 15-network grid
    N_TRUE = 5  # the trend holds for every activation
    TRUSTED = True
