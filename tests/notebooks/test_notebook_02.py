"""Notebook 02 (MNIST autoencoders): structure, and its graded cells run in-process in fast mode.

Every code cell runs up to the last test cell (the figures after it are skipped); see tests/notebooks/harness.py.
"""
from tests.notebooks.harness import Notebook, snapshot_tests, structure_tests

NB = Notebook("02_mnist_autoencoders", total_points=18,
              forbidding=["test_sgd_step_hidden", "test_train_epoch_hidden"],
              expensive=["sgd_step", "train_epoch", "run_grid"], training_cell="run_grid")  # the 15-network grid
globals().update(snapshot_tests(NB), **structure_tests(NB, n_true=5))  # the trend holds for every activation
