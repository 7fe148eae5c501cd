"""`Classifier`: fully connected layers with a shared hidden activation and a softmax output.

Layer i computes H_i = f(H_{i-1} W_i^T + b_i) with W_i (n_i, n_{i-1}), H_0 = X (N, d); the last layer's
scores S = H_{L-1} W_L^T + b_L (N, C) go through the softmax. Parameters are {"W1", "b1", ..., "WL", "bL"}.
"""

import numpy as np

from .. import activations, losses
from .._checks import check_array, check_choice, check_positive
from ..layers import dense_backward, dense_forward, init_weight


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
            Z, cache = dense_forward(H, params[f"W{i}"], params[f"b{i}"])  # (N, n_{i-1}) -> (N, n_i)
            H_next = activations.ACTIVATIONS[self.activation](Z) if i < L else Z
            caches.append((cache, Z, H_next))
            H = H_next
        return (H, caches) if return_caches else H

    def loss_and_grads(self, params, X, y, return_hidden=False):
        """Mean softmax cross-entropy on (X, y) and its gradients.

        Returns (value, grads), or (value, grads, H) with the last hidden layer's activations H (N, n_{L-1})
        (X itself without hidden layers) when return_hidden=True; grads has the keys and shapes of params.
        """
        S, caches = self.scores(params, X, return_caches=True)  # (N, C)
        value, dZ = losses.softmax_cross_entropy(S, y)  # dZ: (N, C)
        grads = {}
        L = len(caches)
        for i in range(L, 0, -1):
            cache, _, _ = caches[i - 1]
            dH, grads[f"W{i}"], grads[f"b{i}"] = dense_backward(dZ, cache, need_dX=i > 1)  # dH: (N, n_{i-1})
            if i > 1:
                _, Z, H = caches[i - 2]
                dZ = activations.backward(self.activation, dH, Z, H)
        if return_hidden:
            last_hidden = caches[-2][2] if L > 1 else X
            return value, grads, last_hidden
        return value, grads

    def corrupt(self, X, rng):
        """No input noise for a classifier: X itself."""
        return X

    def fit(self, X, y, X_test=None, y_test=None, params=None, **train_kw):
        """Train on (X, y); returns self with params_ and history_ (test loss recorded when X_test given)."""
        from ..training import train

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
