"""`StackedAutoencoder`: greedy layer-wise autoencoder pretraining of a `Classifier`, then fine-tuning."""

import numpy as np

from .._checks import check_array
from .autoencoder import Autoencoder
from .classifier import Classifier


class StackedAutoencoder:
    """Greedy layer-wise autoencoder pretraining, then a softmax head, then end-to-end fine-tuning."""

    def __init__(self, hidden_sizes=(625, 100), layer_kw=None, pretrain_kw=None, finetune_kw=None, seed=0):
        self.hidden_sizes = hidden_sizes
        self.layer_kw = layer_kw  # Autoencoder settings for every layer, e.g. noise="masking", penalties
        self.pretrain_kw = pretrain_kw  # train() settings for each layer
        self.finetune_kw = finetune_kw  # train() settings for the whole classifier
        self.seed = seed

    def pretrain(self, X):
        """Train one autoencoder per layer on the codes of the layer below; returns self with layers_."""
        layer_kw = {"hidden": "sigmoid", "output": "sigmoid", "loss": "bce", **(self.layer_kw or {})}
        self.layers_, H = [], check_array("X", X)
        for i, size in enumerate(self.hidden_sizes):
            ae_i = Autoencoder(size, seed=self.seed + i, **layer_kw).fit(H, **(self.pretrain_kw or {}))
            self.layers_.append(ae_i)
            H = ae_i.encode(H)
        return self

    def fit(self, X, y, X_test=None, y_test=None):
        """Pretrain (if not done yet), then fine-tune encoders and softmax head together."""
        if not hasattr(self, "layers_"):
            self.pretrain(X)
        hidden = self.layers_[0].hidden
        self.classifier_ = Classifier(self.hidden_sizes, activation=hidden, seed=self.seed)
        y = np.asarray(y)
        params = self.classifier_.init_params(np.shape(X)[1], int(y.max()) + 1)
        for i, layer in enumerate(self.layers_, start=1):  # start from the pretrained encoders
            params[f"W{i}"], params[f"b{i}"] = layer.params_["W1"].copy(), layer.params_["b1"].copy()
        self.classifier_.fit(X, y, X_test, y_test, params=params, **(self.finetune_kw or {}))
        return self

    def predict(self, X):
        return self.classifier_.predict(X)

    def score(self, X, y):
        return self.classifier_.score(X, y)
