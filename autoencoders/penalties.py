"""Regularisers added to an autoencoder's loss.

Each penalty is called as penalty(params, H) with H the (N, k) hidden activations and returns
(value, dH, dparams): the penalty, its gradient w.r.t. H, and its direct gradients w.r.t. parameters.
"""

import numpy as np

from ._checks import check_open_unit, check_positive


class WeightDecay:
    """lam/2 * sum of squared weights (biases excluded)."""

    def __init__(self, lam=1e-4):
        self.lam = check_positive("lam", lam)

    def __call__(self, params, H):
        weights = {k: W for k, W in params.items() if k.startswith("W")}
        value = 0.5 * self.lam * sum(np.vdot(W, W) for W in weights.values())
        return value, None, {k: self.lam * W for k, W in weights.items()}


class KLSparsity:
    """beta * sum_j KL(rho || rho_hat_j), rho_hat_j the mean activation of hidden unit j over the batch."""

    needs_unit_interval = True

    def __init__(self, rho=0.05, beta=3.0):
        self.rho = check_open_unit("rho", rho)
        self.beta = check_positive("beta", beta)

    def __call__(self, params, H):
        rho, n = self.rho, H.shape[0]
        rho_hat = np.clip(H.mean(axis=0), 1e-12, 1 - 1e-12)  # (k,)
        kl = rho * np.log(rho / rho_hat) + (1 - rho) * np.log((1 - rho) / (1 - rho_hat))
        # d/d rho_hat, shared by the N rows that make up each mean
        d_rho_hat = self.beta * (-rho / rho_hat + (1 - rho) / (1 - rho_hat))
        dH = np.broadcast_to(d_rho_hat / n, H.shape).astype(H.dtype)
        return self.beta * kl.sum(), dH, {}


class Contractive:
    """lam * ||J||_F^2 of a sigmoid encoder, averaged over the batch: J = diag(h (1 - h)) W1."""

    needs_unit_interval = True

    def __init__(self, lam=0.1):
        self.lam = check_positive("lam", lam)

    def __call__(self, params, H):
        W1, n = params["W1"], H.shape[0]
        s = H * (1 - H)  # (N, k) sigmoid'(a)
        row_norms = np.sum(W1**2, axis=1)  # (k,) ||W1_j||^2
        value = self.lam * np.sum(s**2 @ row_norms) / n
        dH = self.lam * 2 * s * (1 - 2 * H) * row_norms / n  # d(s^2)/dh = 2 s (1 - 2h)
        dW1 = self.lam * 2 * (s**2).mean(axis=0)[:, None] * W1
        return value, dH, {"W1": dW1}


class L1Activity:
    """lam * mean over examples of sum_j |h_j|."""

    def __init__(self, lam=1e-3):
        self.lam = check_positive("lam", lam)

    def __call__(self, params, H):
        n = H.shape[0]
        return self.lam * np.abs(H).sum() / n, self.lam * np.sign(H) / n, {}


PENALTIES = {"weight_decay": WeightDecay, "kl": KLSparsity, "contractive": Contractive, "l1": L1Activity}
