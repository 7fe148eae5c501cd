"""Autoencoders course kit: numpy models, training, gradient checks, data and plots.

    import autoencoders as ae
"""
from . import activations, gradcheck, layers, losses, noise, optim, penalties, training
from .gradcheck import check_gradients, numerical_gradient, rel_error
from .models import Autoencoder
from .optim import Optimizer
from .training import DivergenceError, History, train

__version__ = "0.1.0"
from .classifier import Classifier, StackedAutoencoder
