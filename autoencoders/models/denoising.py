"""The denoising autoencoder of notebook 05, in the homework's shape: an object with forward, backward, update.

    z = x W + b,  h = relu(z)     x (d,) or (B, d), W (d, k), b (k,)   ->  h (k,) or (B, k)
    y = h V + c                   V (k, d), c (d,)                     ->  y, shaped like x

forward stores x and h; backward(dE/dy) uses them to store dW, db, dV, dc, the gradients of E summed over the
rows of a batch (relu'(0) is taken as 0); update(lr) takes one gradient step. `training.train_per_example`
runs the homework's single-example loop on any object with this interface.
"""

import numpy as np

from .._checks import check_int, check_positive


class DenoisingAutoencoder:
    """784-225-784 by default: ReLU hidden layer, linear output; W, V ~ N(0, weight_std^2), b = hidden_bias, c = 0."""

    def __init__(self, n_in=784, n_hidden=225, weight_std=0.01, hidden_bias=0.5, seed=0):
        n_in, n_hidden = check_int("n_in", n_in, minimum=1), check_int("n_hidden", n_hidden, minimum=1)
        check_positive("weight_std", weight_std)
        rng = np.random.default_rng(seed)
        self.W = rng.normal(0.0, weight_std, size=(n_in, n_hidden))
        self.b = np.full(n_hidden, float(hidden_bias))
        self.V = rng.normal(0.0, weight_std, size=(n_hidden, n_in))
        self.c = np.zeros(n_in)

    def forward(self, x):
        """The reconstruction of x (d,) or (B, d); stores x and the hidden activations h."""
        self.x = np.asarray(x, dtype=np.float64)
        self.h = np.maximum(self.x @ self.W + self.b, 0.0)
        return self.h @ self.V + self.c

    def backward(self, dEdy):
        """Store dW, db, dV, dc for the gradient dE/dy (shaped like the last forward's output)."""
        X, H = np.atleast_2d(self.x), np.atleast_2d(self.h)  # (B, d), (B, k)
        D = np.atleast_2d(np.asarray(dEdy, dtype=np.float64))  # (B, d)
        if D.shape != (H.shape[0], self.V.shape[1]):
            raise ValueError(f"dEdy must have the shape of the last output, {np.shape(self.x)}, got {np.shape(dEdy)}")
        self.dV, self.dc = H.T @ D, D.sum(axis=0)
        dZ = (D @ self.V.T) * (H > 0)  # (B, k): relu passes the gradient where the unit is on
        self.dW, self.db = X.T @ dZ, dZ.sum(axis=0)

    def update(self, lr):
        """One gradient step of size lr on W, b, V, c (in place)."""
        for name in ("W", "b", "V", "c"):
            getattr(self, name)[...] -= lr * getattr(self, "d" + name)
