"""Autoencoders course kit: numpy models, training, gradient checks, data and plots.

    import autoencoders as ae

The package map is in the README; `grading`, `widgets`, `course` and `cli` load on first use.
"""

import importlib

from . import (
    activations,
    data,
    gradcheck,
    layers,
    losses,
    models,
    noise,
    optim,
    pca,
    penalties,
    plotting,
    settings,
    sparse_coding,
    training,
)
from .gradcheck import check_gradients, numerical_gradient, numerical_gradient_many, rel_error
from .models import Autoencoder, Classifier, DenoisingAutoencoder, StackedAutoencoder
from .optim import Optimizer
from .training import DivergenceError, History, train

__all__ = [
    "activations",
    "data",
    "gradcheck",
    "layers",
    "losses",
    "models",
    "noise",
    "optim",
    "pca",
    "penalties",
    "plotting",
    "settings",
    "sparse_coding",
    "training",
    "Autoencoder",
    "Classifier",
    "DenoisingAutoencoder",
    "StackedAutoencoder",
    "Optimizer",
    "train",
    "History",
    "DivergenceError",
    "check_gradients",
    "numerical_gradient",
    "numerical_gradient_many",
    "rel_error",
]
__version__ = "0.1.0"

_LAZY = {"grading", "widgets", "course", "cli"}  # heavier or tool-only modules, imported on first use


def __getattr__(name):
    if name in _LAZY:
        return importlib.import_module(f".{name}", __name__)
    raise AttributeError(f"module 'autoencoders' has no attribute {name!r}")
