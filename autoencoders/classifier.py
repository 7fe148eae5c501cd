"""A fully connected softmax classifier, and a stacked autoencoder that pretrains one greedily."""
import numpy as np

from . import activations, losses
from ._checks import check_array, check_choice, check_positive
from .layers import dense_backward, dense_forward, init_weight
from .models import Autoencoder


class Classifier:
    """Dense layers with a shared hidden activation and a softmax output, trained on softmax cross-entropy."""

    def __init__(self, hidden_sizes=(100,), activation="relu", init="uniform", dtype=np.float64, seed=0):
        self.hidden_sizes = hidden_sizes
        self.activation = activation
        self.init = init
        self.dtype = dtype
        self.seed = seed

    def validate(self):
        for i, size in enumerate(self.hidden_sizes):
            check_positive(f"hidden_sizes[{i}]", size, integer=True)
        check_choice("activation", self.activation, activations.ACTIVATIONS)
        return self

    def init_params(self, n_in, n_classes, rng=None):
        """Weights W1..WL and biases b1..bL, L = len(hidden_sizes) + 1."""
        self.validate()
        check_positive("n_classes", n_classes, integer=True)
        rng = np.random.default_rng(self.seed) if rng is None else rng
        sizes = [n_in, *self.hidden_sizes, n_classes]
        params = {}
        for i, (a, b) in enumerate(zip(sizes[:-1], sizes[1:]), start=1):
            params[f"W{i}"] = init_weight(b, a, self.init, rng, self.dtype)
            params[f"b{i}"] = np.zeros(b, self.dtype)
        return params

    def _n_layers(self, params):
        return sum(1 for k in params if k.startswith("W"))

    def scores(self, params, X, return_caches=False):
        """Class scores (N, C) before the softmax."""
        H, caches = X, []
        L = self._n_layers(params)
        for i in range(1, L + 1):
            Z, cache = dense_forward(H, params[f"W{i}"], params[f"b{i}"])
            H_next = activations.ACTIVATIONS[self.activation](Z) if i < L else Z
            caches.append((cache, Z, H_next))
            H = H_next
        return (H, caches) if return_caches else H

    def loss_and_grads(self, params, X, y, return_hidden=False):
        """Mean softmax cross-entropy on (X, y) and its gradients."""
        S, caches = self.scores(params, X, return_caches=True)
        value, dZ = losses.softmax_cross_entropy(S, y)
        grads = {}
        L = len(caches)
        for i in range(L, 0, -1):
            cache, _, _ = caches[i - 1]
            dH, grads[f"W{i}"], grads[f"b{i}"] = dense_backward(dZ, cache, need_dX=i > 1)
            if i > 1:
                _, Z, H = caches[i - 2]
                dZ = activations.backward(self.activation, dH, Z, H)
        if return_hidden:
            last_hidden = caches[-2][2] if L > 1 else X
            return value, grads, last_hidden
        return value, grads

    def corrupt(self, X, rng):
        return X

    def fit(self, X, y, X_test=None, y_test=None, params=None, **train_kw):
        """Train on (X, y); returns self with params_ and history_ (test loss recorded when X_test given)."""
        from .training import train

        self.validate()
        X = check_array("X", X, dtype=self.dtype)
        y = _check_labels("y", y, X.shape[0])
        self.classes_ = np.unique(y)
        if X_test is not None:
            X_test = check_array("X_test", X_test, n_features=X.shape[1], dtype=self.dtype)
            y_test = _check_labels("y_test", y_test, X_test.shape[0])
        n_classes = int(max(y.max(), -1 if y_test is None else y_test.max())) + 1
        params = self.init_params(X.shape[1], n_classes) if params is None else params
        self.params_, self.history_ = train(self, params, X, y, X_test, y_test, **train_kw)
        return self

    def predict(self, X):
        X = check_array("X", X, dtype=self.dtype)
        return np.argmax(self.scores(self.params_, X), axis=1)

    def score(self, X, y):
        """Accuracy in [0, 1]."""
        return float(np.mean(self.predict(X) == np.asarray(y)))


def _check_labels(name, y, n):
    y = np.asarray(y)
    if y.shape != (n,) or not np.issubdtype(y.dtype, np.integer) or (y.size and y.min() < 0):
        raise ValueError(f"{name} must be {n} non-negative integer labels, got shape {y.shape} dtype {y.dtype}")
    return y


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
