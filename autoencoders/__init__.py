"""Autoencoders course kit: numpy models, training, gradient checks, data and plots.

    import autoencoders as ae
"""
import importlib

from . import activations, data, gradcheck, layers, losses, noise, optim, pca, penalties, plotting, training
from .classifier import Classifier, StackedAutoencoder
from .gradcheck import check_gradients, numerical_gradient, rel_error
from .models import Autoencoder
from .optim import Optimizer
from .training import DivergenceError, History, train

__version__ = "0.1.0"

_LAZY = {"grading", "widgets", "course", "cli"}  # heavier or tool-only modules, imported on first use


def __getattr__(name):
    if name in _LAZY:
        return importlib.import_module(f".{name}", __name__)
    raise AttributeError(f"module 'autoencoders' has no attribute {name!r}")
