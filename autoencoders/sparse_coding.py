"""Sparse coding: a dictionary W, sparse codes S, and three ways to find the codes (notebook 06).

Rows are examples, as everywhere in the course:

    X (N, d) data,  W (d, h) dictionary (its columns are the atoms),  S (N, h) codes,  X_hat = S @ W.T (N, d)

    E(W, S) = eta ||W||_F^2 + sum_i ||x_i - W s_i||^2 + lam sum_i ||s_i||_1          (sums, not means)

- ISTA: a gradient step on the smooth part, then soft thresholding (`ista_step`, `ista`);
- dictionary learning: ISTA steps on S alternated with gradient steps on W (`learn_dictionary`);
- the reparameterisation S = R * R: non-negative codes, the L1 penalty becomes lam ||R||_F^2 and plain gradient
  descent applies (`reparam_gradient`, `reparam_descent`); `split_dictionary` doubles W into [W, -W] so that
  non-negative codes can stand for signed ones;
- the amortised encoder S = g(X @ V), V (d, h): one matrix product per batch (`encoder_gradient`, `train_encoder`).

The loops take the notebook's own functions as optional arguments (`update=`, `gradient=`), so the experiments
of notebook 06 run the student's code; by default they use the functions of this module.
"""

import numpy as np

from ._checks import check_int, check_positive
from .optim import adam


def _check_lam(name, value):
    if isinstance(value, bool) or not np.isscalar(value) or not value >= 0:
        raise ValueError(f"{name} must be a number >= 0, got {value!r}")
    return float(value)


# ---------------------------------------------------------------- the objective and its gradients


def soft_threshold(Z, t):
    """sign(Z) * max(|Z| - t, 0), elementwise: the proximal map of t ||.||_1 (t >= 0). New array, Z unchanged."""
    return np.sign(Z) * np.maximum(np.abs(Z) - t, 0)


def nonnegative_soft_threshold(Z, t):
    """max(Z - t, 0), elementwise: the proximal map of t ||.||_1 plus the constraint Z >= 0."""
    return np.maximum(Z - t, 0)


def objective(X, W, S, lam, eta=0.0):
    """E = eta ||W||_F^2 + ||X - S W^T||_F^2 + lam sum |S| for X (N, d), W (d, h), S (N, h): a float."""
    residual = X - S @ W.T  # (N, d)
    return float(eta * np.sum(W * W) + np.sum(residual * residual) + lam * np.sum(np.abs(S)))


def code_gradient(X, W, S):
    """Gradient of the smooth part ||X - S W^T||_F^2 with respect to S: -2 (X - S W^T) W, shape (N, h)."""
    return -2 * (X - S @ W.T) @ W  # (N, d) @ (d, h)


def dictionary_gradient(X, W, S, eta=0.0):
    """dE/dW = 2 eta W - 2 (X - S W^T)^T S, shape (d, h): the sum over examples of -2 (x_i - W s_i) s_i^T."""
    return 2 * eta * W - 2 * (X - S @ W.T).T @ S  # (d, N) @ (N, h)


def lipschitz_step(W):
    """1 / L with L = 2 ||W||_2^2 (largest singular value squared): a step for which ISTA never goes uphill."""
    return 1.0 / (2.0 * np.linalg.norm(W, 2) ** 2)


# ---------------------------------------------------------------- ISTA


def ista_step(X, W, S, lam, step, grad=code_gradient, prox=soft_threshold):
    """One proximal gradient step: prox(S - step grad(X, W, S), step lam), shape (N, h)."""
    return prox(S - step * grad(X, W, S), step * lam)


def ista(X, W, lam, n_steps=100, S0=None, step=None, prox=soft_threshold, update=None, trace=None):
    """n_steps of ISTA on the codes of X (N, d) for a fixed W (d, h); the codes S (N, h).

    S0: the start (default zeros); step: default lipschitz_step(W); prox: soft_threshold, or
    nonnegative_soft_threshold for codes >= 0. update(X, W, S, lam, step) replaces `ista_step` (a notebook's own,
    which then applies its own prox). trace: a list that gets the objective (eta = 0) after every step.
    """
    n_steps = check_int("n_steps", n_steps, minimum=0)
    lam = _check_lam("lam", lam)
    step = lipschitz_step(W) if step is None else check_positive("step", step)
    S = np.zeros((X.shape[0], W.shape[1]), dtype=np.result_type(X, W)) if S0 is None else np.array(S0)
    for _ in range(n_steps):
        S = ista_step(X, W, S, lam, step, prox=prox) if update is None else update(X, W, S, lam, step)
        if trace is not None:
            trace.append(objective(X, W, S, lam))
    return S


# ---------------------------------------------------------------- dictionary learning


def dictionary_step(X, W, S, eta, n_steps=1, gradient=None):
    """n_steps of gradient descent on W for fixed codes, at step 1 / (2 (eta + ||S||_2^2)); the new W (d, h).

    That step is 1 / L for the Lipschitz constant L of dE/dW, so the objective never increases.
    gradient(X, W, S, eta) replaces `dictionary_gradient`.
    """
    gradient = dictionary_gradient if gradient is None else gradient
    step = 1.0 / (2.0 * (eta + np.linalg.norm(S, 2) ** 2))
    for _ in range(check_int("n_steps", n_steps, minimum=0)):
        W = W - step * gradient(X, W, S, eta)
    return W


def initial_dictionary(X, h, seed=0):
    """h distinct rows of X (N, d), each scaled to unit length, as the columns of a (d, h) dictionary."""
    h = check_int("h", h, minimum=1, maximum=X.shape[0])
    rows = np.random.default_rng(seed).choice(X.shape[0], size=h, replace=False)
    W = np.array(X[rows].T, dtype=np.float64)  # (d, h)
    return W / np.maximum(np.linalg.norm(W, axis=0), 1e-12)


def learn_dictionary(X, W0, lam, eta, n_outer=50, n_inner=10, w_steps=3, update=None, gradient=None, trace=None):
    """Alternate n_inner ISTA steps on the codes (warm-started) and w_steps gradient steps on W; (W, S).

    Each ISTA phase uses step lipschitz_step(W) for the current W, so every phase lowers E (W0 (d, h), X (N, d)).
    update(X, W, S, lam, step) replaces `ista_step`, gradient(X, W, S, eta) replaces `dictionary_gradient`.
    trace: a list that gets E(W, S) (eta included) after every outer iteration.
    """
    lam, eta = _check_lam("lam", lam), _check_lam("eta", eta)
    W = np.array(W0, dtype=np.float64)
    S = np.zeros((X.shape[0], W.shape[1]))
    for _ in range(check_int("n_outer", n_outer, minimum=0)):
        S = ista(X, W, lam, n_inner, S0=S, update=update)
        W = dictionary_step(X, W, S, eta, n_steps=w_steps, gradient=gradient)
        if trace is not None:
            trace.append(objective(X, W, S, lam, eta))
    return W, S


def split_dictionary(W):
    """[W, -W], shape (d, 2h): non-negative codes on it stand for signed codes on W."""
    return np.concatenate([W, -W], axis=1)


def split_codes(S):
    """Signed codes S (N, h) as non-negative codes on [W, -W]: [max(S, 0), max(-S, 0)], shape (N, 2h)."""
    return np.concatenate([np.maximum(S, 0), np.maximum(-S, 0)], axis=1)


def merge_codes(S2):
    """Codes (N, 2h) on [W, -W] back to signed codes (N, h) on W: first half minus second half."""
    h = S2.shape[1] // 2
    return S2[:, :h] - S2[:, h:]


# ---------------------------------------------------------------- the reparameterisation S = R * R


def reparam_gradient(X, W, R, lam):
    """dE/dR for S = R * R: E(R) = ||X - (R*R) W^T||_F^2 + lam ||R||_F^2; -4 R * ((X - S W^T) W) + 2 lam R, (N, h)."""
    S = R * R
    return 2 * R * code_gradient(X, W, S) + 2 * lam * R


def reparam_descent(X, W, lam, n_steps, step, R0, gradient=None, trace=None):
    """n_steps of plain gradient descent on R (N, h) from R0 (never all 0: it is a stationary point); R.

    The curvature of E(R) grows with the codes, so the step must be smaller than ISTA's: a fraction of
    lipschitz_step(W) (notebook 06 uses a half). gradient(X, W, R, lam) replaces `reparam_gradient`.
    trace gets E(R * R) (eta = 0) after every step.
    """
    gradient = reparam_gradient if gradient is None else gradient
    check_positive("step", step)
    R = np.array(R0, dtype=np.float64)
    for _ in range(check_int("n_steps", n_steps, minimum=0)):
        R = R - step * gradient(X, W, R, lam)
        if trace is not None:
            trace.append(objective(X, W, R * R, lam))
    return R


# ---------------------------------------------------------------- the amortised encoder S = g(X V)


def square(A):
    """g(a) = a * a, elementwise."""
    return A * A


def square_derivative(A):
    """g'(a) = 2 a for g = square."""
    return 2 * A


def relu(A):
    """g(a) = max(a, 0), elementwise."""
    return np.maximum(A, 0)


def relu_derivative(A):
    """g'(a) = 1 where a > 0, else 0 (the value 0 at a = 0)."""
    return (A > 0).astype(np.result_type(A, np.float32))


ENCODER_ACTIVATIONS = {"square": (square, square_derivative), "relu": (relu, relu_derivative)}


def encode(X, V, g=square):
    """The amortised codes g(X V), shape (N, h), for X (N, d) and V (d, h)."""
    return g(X @ V)


def encoder_gradient(X, W, V, lam, g=square, g_prime=square_derivative):
    """dE/dV for S = g(X V) with g >= 0, E = ||X - S W^T||_F^2 + lam sum S; shape (d, h).

    dE/dV = X^T [g'(A) * (lam - 2 (X - S W^T) W)] with A = X V (N, h).
    """
    A = X @ V  # (N, d) @ (d, h)
    S = g(A)
    return X.T @ (g_prime(A) * (code_gradient(X, W, S) + lam))  # (d, N) @ (N, h)


def train_encoder(X, W, lam, g, g_prime, V0, n_steps=1000, lr=1e-3, batch_size=250, seed=0, gradient=None, trace=None):
    """Adam on V (d, h) for minibatches of X (N, d), the dictionary W (d, h) fixed; the trained V.

    The gradient of each minibatch is divided by its size (the step does not depend on batch_size).
    gradient(X, W, V, lam, g, g_prime) replaces `encoder_gradient`. trace gets the objective per example of each
    minibatch (before its step).
    """
    gradient = encoder_gradient if gradient is None else gradient
    n_steps = check_int("n_steps", n_steps, minimum=0)
    batch_size = check_int("batch_size", batch_size, minimum=1)
    rng = np.random.default_rng(seed)
    V, state = np.array(V0, dtype=np.float64), {}
    for _ in range(n_steps):
        batch = X[rng.integers(X.shape[0], size=batch_size)]
        if trace is not None:
            trace.append(objective(batch, W, g(batch @ V), lam) / batch_size)
        dV = gradient(batch, W, V, lam, g, g_prime) / batch_size
        V, state = adam(V, dV, state, lr=lr, beta1=0.9, beta2=0.999, eps=1e-8)
    return V


# ---------------------------------------------------------------- measures


def active_fraction(S, tol=1e-3):
    """The fraction of codes with |s| > tol (tol=0: the non-zero codes)."""
    return float(np.mean(np.abs(S) > tol))
