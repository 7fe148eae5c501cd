"""PCA baselines and principal angles between subspaces (numpy, float64).

The linear autoencoder learns the same subspace as these baselines: with biases
compare against centred `pca`, without biases against uncentred `svd_basis`.
"""

from dataclasses import dataclass

import numpy as np

from ._checks import check_array, check_int


@dataclass(frozen=True)
class PCAResult:
    """A fitted centred PCA: mean_ (d,), components_ (k, d), explained_variance_ (k,)."""

    mean_: np.ndarray
    components_: np.ndarray
    explained_variance_: np.ndarray
    explained_variance_ratio_: np.ndarray

    def transform(self, X):
        """Codes of X in the principal basis: (N, d) -> (N, k)."""
        X = check_array("X", X, n_features=self.mean_.shape[0])
        return (X - self.mean_) @ self.components_.T  # (N, d) @ (d, k) -> (N, k)

    def inverse_transform(self, Z):
        """Back to pixel space: (N, k) -> (N, d)."""
        Z = check_array("Z", Z, n_features=self.components_.shape[0])
        return Z @ self.components_ + self.mean_  # (N, k) @ (k, d) -> (N, d)


def _top_right_singular_vectors(X, k):
    """Top-k right singular vectors of X as rows (k, d), plus all singular values."""
    if X.shape[0] > X.shape[1]:
        X = np.linalg.qr(X, mode="r")  # X = QR: same singular values and right vectors, R is (d, d)
    _, s, Vt = np.linalg.svd(X, full_matrices=False)  # Vt: (min(N, d), d)
    V = Vt[:k]
    # Fix the sign (largest-magnitude entry positive) so figures are reproducible.
    signs = np.sign(V[np.arange(k), np.argmax(np.abs(V), axis=1)])
    signs[signs == 0] = 1.0
    return V * signs[:, None], s


def pca(X, k):
    """Centred PCA of X (N, d) with k components, fitted by SVD."""
    X = check_array("X", X, dtype=np.float64)
    if X.shape[0] < 2:
        raise ValueError(f"X must have at least 2 rows to estimate a variance, got shape {X.shape}")
    k = check_int("k", k, minimum=1, maximum=min(X.shape))  # at most min(N, d) components
    mean = X.mean(axis=0)  # (d,)
    Xc = X - mean
    V, s = _top_right_singular_vectors(Xc, k)
    variance = s**2 / (X.shape[0] - 1)  # eigenvalues of the sample covariance
    total = variance.sum()
    ratio = variance[:k] / total if total > 0 else np.zeros(k)
    return PCAResult(mean_=mean, components_=V, explained_variance_=variance[:k], explained_variance_ratio_=ratio)


def svd_basis(X, k):
    """Uncentred basis: the top-k right singular vectors of X (N, d) as orthonormal rows (k, d)."""
    X = check_array("X", X, dtype=np.float64)
    k = check_int("k", k, minimum=1, maximum=min(X.shape))  # at most min(N, d) components
    return _top_right_singular_vectors(X, k)[0]


def pca_reconstruct(X, k, centred=True):
    """Project X (N, d) onto its own top-k subspace and map back: X_hat (N, d)."""
    if centred:
        fit = pca(X, k)
        return fit.inverse_transform(fit.transform(X))
    X = check_array("X", X, dtype=np.float64)
    V = svd_basis(X, k)  # (k, d)
    return (X @ V.T) @ V  # (N, d) @ (d, k) @ (k, d) -> (N, d)


def reconstruction_error(X, X_hat):
    """Per-pixel mean squared error: mean over all N * d entries of (X - X_hat)**2."""
    X = check_array("X", X, dtype=np.float64)
    X_hat = check_array("X_hat", X_hat, dtype=np.float64)
    if X.shape != X_hat.shape:
        raise ValueError(f"X_hat must have the shape of X {X.shape}, got {X_hat.shape}")
    return float(np.mean((X - X_hat) ** 2))


def principal_angles(A, B):
    """Principal angles (radians, ascending) between the column spans of A (d, p) and B (d, q).

    Returns min(p, q) angles in [0, pi/2]. Columns must be linearly independent.
    Small angles come from sines (accurate near 0), large ones from cosines.
    """
    A = check_array("A", A, dtype=np.float64)
    B = check_array("B", B, dtype=np.float64)
    d = A.shape[0]
    if B.shape[0] != d:
        raise ValueError(f"B must have as many rows as A ({d}), got shape {B.shape}")
    for name, M in (("A", A), ("B", B)):
        if M.shape[1] > d:
            raise ValueError(f"{name} must have at most d={d} columns to be independent, got shape {M.shape}")
    Qa, _ = np.linalg.qr(A)  # (d, p) orthonormal columns
    Qb, _ = np.linalg.qr(B)  # (d, q)
    M = Qa.T @ Qb  # (p, d) @ (d, q) -> (p, q)
    cos = np.clip(np.linalg.svd(M, compute_uv=False), -1.0, 1.0)  # descending -> angles ascending
    # The part of the smaller basis outside the larger span: its singular values are the sines.
    R = Qb - Qa @ M if Qa.shape[1] >= Qb.shape[1] else Qa - Qb @ M.T  # (d, min(p, q))
    sin = np.clip(np.linalg.svd(R, compute_uv=False)[::-1], -1.0, 1.0)  # ascending
    theta = np.where(cos**2 >= 0.5, np.arcsin(sin), np.arccos(cos))
    return np.sort(theta)
