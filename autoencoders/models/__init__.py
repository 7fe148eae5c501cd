"""The models: each keeps its parameters in a plain dict and provides the interface `training.train` uses.

Modules: `autoencoder` (`Autoencoder`, every one-hidden-layer variant), `classifier` (`Classifier`, a softmax
network), `stacked` (`StackedAutoencoder`, greedy pretraining of a Classifier) and `denoising`
(`DenoisingAutoencoder`, notebook 05's object with forward, backward and update).
"""

from .autoencoder import Autoencoder
from .classifier import Classifier
from .denoising import DenoisingAutoencoder
from .stacked import StackedAutoencoder

__all__ = ["Autoencoder", "Classifier", "DenoisingAutoencoder", "StackedAutoencoder"]
