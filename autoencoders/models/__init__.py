"""The models: each keeps its parameters in a plain dict and provides the interface `training.train` uses.

Modules: `autoencoder` (`Autoencoder`, every one-hidden-layer variant), `classifier` (`Classifier`, a softmax
network) and `stacked` (`StackedAutoencoder`, greedy pretraining of a Classifier).
"""

from .autoencoder import Autoencoder
from .classifier import Classifier
from .stacked import StackedAutoencoder

__all__ = ["Autoencoder", "Classifier", "StackedAutoencoder"]
