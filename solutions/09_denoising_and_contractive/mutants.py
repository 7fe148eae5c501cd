"""Wrong answers (MUTANTS) and differently written right answers (ALTERNATIVES) for 09_denoising_and_contractive.

Format: docs/adding_a_notebook.md. MUTANTS and ALTERNATIVES go through the nbgrader round trip; the EXTRA_ lists
are checked in-process only (tests/notebooks/test_notebook_09.py).
"""

_JACOBIAN = "def encoder_jacobian(X, W, b):\n{body}\n"
_PENALTY = "def contractive_penalty(X, W, b, lam):\n{body}\n"
_GRADIENTS = "def contractive_gradients(X, W, b, lam):\n{body}\n"

# ---- encoder_jacobian

_JACOBIAN_LOOPS = _JACOBIAN.format(
    body="""    N, k, d = X.shape[0], W.shape[0], W.shape[1]
    J = np.zeros((N, k, d))
    for n in range(N):
        for j in range(k):
            h = 1 / (1 + np.exp(-(W[j] @ X[n] + b[j])))
            J[n, j] = h * (1 - h) * W[j]
    return J"""
)

_JACOBIAN_EINSUM = _JACOBIAN.format(
    body="""    H = 1 / (1 + np.exp(-np.einsum("kd,nd->nk", W, X) - b))
    return np.einsum("nk,kd->nkd", H * (1 - H), W)"""
)

_JACOBIAN_DIAG = _JACOBIAN.format(
    body="""    A = X @ W.T + b
    S = np.exp(-A) / (1 + np.exp(-A)) ** 2  # sigmoid'(a) written out
    return np.stack([np.diag(s) @ W for s in S])"""
)

_JACOBIAN_NO_SLOPE = _JACOBIAN.format(body="""    return np.broadcast_to(W, (X.shape[0],) + W.shape).copy()""")

_JACOBIAN_TRANSPOSED = _JACOBIAN.format(
    body="""    H = 1 / (1 + np.exp(-(X @ W.T + b)))
    return (H * (1 - H))[:, None, :] * W.T[None, :, :]  # (N, d, k): dx/dh order"""
)

# ---- contractive_penalty

_PENALTY_FROM_JACOBIANS = _PENALTY.format(
    body="""    H = 1 / (1 + np.exp(-(X @ W.T + b)))
    J = np.einsum("nk,kd->nkd", H * (1 - H), W)  # the full Jacobians, then their squared norms
    return float(lam * np.sum(J**2) / X.shape[0])"""
)

_PENALTY_LOOP = _PENALTY.format(
    body="""    total = 0.0
    for x in X:
        h = 1 / (1 + np.exp(-(W @ x + b)))
        total += np.sum((h * (1 - h)) ** 2 * np.sum(W * W, axis=1))
    return lam * total / len(X)"""
)

_PENALTY_NORM_OF_SUM = _PENALTY.format(
    body="""    H = 1 / (1 + np.exp(-(X @ W.T + b)))
    return float(lam * np.mean(((H * (1 - H)) @ np.sqrt(np.sum(W**2, axis=1))) ** 2))  # squares after summing"""
)

# ---- contractive_gradients

_GRADIENTS_LOOP = _GRADIENTS.format(
    body="""    N, (k, d) = X.shape[0], W.shape
    dW, db = np.zeros((k, d)), np.zeros(k)
    for n in range(N):
        for j in range(k):
            h = 1 / (1 + np.exp(-(W[j] @ X[n] + b[j])))
            s = h * (1 - h)
            r = W[j] @ W[j]
            g = 2 * s * s * (1 - 2 * h) * r
            dW[j] += lam / N * (g * X[n] + 2 * s * s * W[j])
            db[j] += lam / N * g
    return dW, db"""
)

_GRADIENTS_THROUGH_H = _GRADIENTS.format(
    body="""    # the package's route: the gradient with respect to h, then through the sigmoid
    N = len(X)
    H = 1 / (1 + np.exp(-(X @ W.T + b)))
    S = H * (1 - H)
    r = np.einsum("kd,kd->k", W, W)
    dH = lam * 2 * S * (1 - 2 * H) * r / N      # d(s^2)/dh = 2 s (1 - 2h)
    dA = dH * S                                 # through the sigmoid
    dW = np.einsum("nk,nd->kd", dA, X) + lam * 2 * np.mean(S**2, axis=0)[:, None] * W
    return dW, dA.sum(axis=0)"""
)

_GRADIENTS_NO_BIAS = _GRADIENTS.format(
    body="""    N = X.shape[0]
    H = 1 / (1 + np.exp(-(X @ W.T)))  # forgets b
    S = H * (1 - H)
    r = np.sum(W**2, axis=1)
    G = 2 * S**2 * (1 - 2 * H) * r
    return lam / N * (G.T @ X + 2 * np.sum(S**2, axis=0)[:, None] * W), lam / N * G.sum(axis=0)"""
)

MUTANTS = [
    # ---- encoder_jacobian
    {
        "cell": "encoder_jacobian",
        "find": "slopes = H * (1 - H)",
        "replace": "slopes = H",
        "why": "uses h as the slope of the sigmoid instead of h (1 - h)",
        "exercise": "test_encoder_jacobian",
    },
    {
        "cell": "encoder_jacobian",
        "source": _JACOBIAN_NO_SLOPE,
        "why": "forgets the sigmoid: J = W for every example",
        "exercise": "test_encoder_jacobian",
    },
    # ---- contractive_penalty
    {
        "cell": "contractive_penalty",
        "find": "np.mean(slopes**2 @ row_norms)",
        "replace": "np.sum(slopes**2 @ row_norms)",
        "why": "sums over the examples instead of averaging",
        "exercise": "test_contractive_penalty",
    },
    {
        "cell": "contractive_penalty",
        "find": "row_norms = np.sum(W**2, axis=1)",
        "replace": "row_norms = np.sum(W**2, axis=0)",
        "why": "column norms of W (one per pixel) instead of row norms (one per hidden unit)",
        "exercise": "test_contractive_penalty",
    },
    # ---- contractive_gradients
    {
        "cell": "contractive_gradients",
        "find": "dW = lam / N * (G.T @ X + 2 * np.sum(slopes**2, axis=0)[:, None] * W)",
        "replace": "dW = lam / N * G.T @ X",
        "why": "forgets that W_j also enters through ||W_j||^2 (the weight-decay part)",
        "exercise": "test_contractive_gradients",
    },
    {
        "cell": "contractive_gradients",
        "find": "G = 2 * slopes**2 * (1 - 2 * H) * row_norms",
        "replace": "G = 2 * slopes * (1 - 2 * H) * row_norms",
        "why": "d(s^2)/da taken as 2 s (1 - 2h): forgets the sigmoid's own slope in the chain rule",
        "exercise": "test_contractive_gradients",
    },
]

EXTRA_MUTANTS = [
    # ---- encoder_jacobian
    {"cell": "encoder_jacobian", "source": _JACOBIAN_TRANSPOSED, "why": "returns (N, d, k): the transposed Jacobians"},
    {
        "cell": "encoder_jacobian",
        "find": "H = 1 / (1 + np.exp(-(X @ W.T + b)))",
        "replace": "H = 1 / (1 + np.exp(-(X @ W.T)))",
        "why": "forgets the bias",
    },
    {
        "cell": "encoder_jacobian",
        "find": "slopes = H * (1 - H)",
        "replace": "slopes = 1 - H**2",
        "why": "the slope of tanh, 1 - h^2, instead of the sigmoid's h (1 - h)",
    },
    {
        "cell": "encoder_jacobian",
        "find": "slopes = H * (1 - H)",
        "replace": "slopes = (H * (1 - H)) ** 2",
        "why": "squares the slopes (the penalty's s^2, not the Jacobian's s)",
    },
    # ---- contractive_penalty
    {
        "cell": "contractive_penalty",
        "find": "np.mean(slopes**2 @ row_norms)",
        "replace": "np.mean(slopes @ row_norms)",
        "why": "forgets to square the slopes h (1 - h)",
    },
    {
        "cell": "contractive_penalty",
        "find": "return float(lam * np.mean(slopes**2 @ row_norms))",
        "replace": "return float(np.mean(slopes**2 @ row_norms))",
        "why": "ignores lam",
    },
    {
        "cell": "contractive_penalty",
        "find": "row_norms = np.sum(W**2, axis=1)",
        "replace": "row_norms = np.sqrt(np.sum(W**2, axis=1))",
        "why": "||W_j|| instead of ||W_j||^2",
    },
    {
        "cell": "contractive_penalty",
        "source": _PENALTY_NORM_OF_SUM,
        "why": "(sum_j s_j ||W_j||)^2 instead of sum_j s_j^2 ||W_j||^2",
    },
    {
        "cell": "contractive_penalty",
        "find": "H = 1 / (1 + np.exp(-(X @ W.T + b)))",
        "replace": "H = 1 / (1 + np.exp(-(X @ W.T)))",
        "why": "forgets the bias",
    },
    # ---- contractive_gradients
    {
        "cell": "contractive_gradients",
        "find": "G = 2 * slopes**2 * (1 - 2 * H) * row_norms",
        "replace": "G = 2 * slopes**2 * (2 * H - 1) * row_norms",
        "why": "sign error in d s / d a = s (1 - 2h)",
    },
    {
        "cell": "contractive_gradients",
        "find": "db = lam / N * G.sum(axis=0)",
        "replace": "db = np.zeros_like(b)",
        "why": "treats the penalty as independent of the bias",
    },
    {
        "cell": "contractive_gradients",
        "find": "dW = lam / N * (G.T @ X + 2 * np.sum(slopes**2, axis=0)[:, None] * W)",
        "replace": "dW = lam * (G.T @ X + 2 * np.sum(slopes**2, axis=0)[:, None] * W)",
        "why": "the gradient of the sum over examples, not of the mean (dW only)",
    },
    {
        "cell": "contractive_gradients",
        "find": "2 * np.sum(slopes**2, axis=0)[:, None] * W",
        "replace": "np.sum(slopes**2, axis=0)[:, None] * W",
        "why": "d||W_j||^2 / dW_j taken as W_j instead of 2 W_j",
    },
    {"cell": "contractive_gradients", "source": _GRADIENTS_NO_BIAS, "why": "forgets the bias in the forward pass"},
]

ALTERNATIVES = [
    {"cell": "encoder_jacobian", "source": _JACOBIAN_EINSUM, "why": "einsum for the code and the Jacobians"},
    {"cell": "contractive_penalty", "source": _PENALTY_FROM_JACOBIANS, "why": "the full Jacobians, then their norms"},
    {"cell": "contractive_gradients", "source": _GRADIENTS_THROUGH_H, "why": "through dP/dh, as the package does"},
]

EXTRA_ALTERNATIVES = [
    {"cell": "encoder_jacobian", "source": _JACOBIAN_LOOPS, "why": "loops over examples and units"},
    {
        "cell": "encoder_jacobian",
        "source": _JACOBIAN_DIAG,
        "why": "diag(sigma'(a)) @ W per example, sigma' written out",
    },
    {"cell": "contractive_penalty", "source": _PENALTY_LOOP, "why": "a loop over examples"},
    {
        "cell": "contractive_penalty",
        "find": "return float(lam * np.mean(slopes**2 @ row_norms))",
        "replace": "return float(lam * np.einsum('nk,kd,kd->', slopes**2, W, W) / len(X))",
        "why": "one einsum over examples, units and pixels",
    },
    {"cell": "contractive_gradients", "source": _GRADIENTS_LOOP, "why": "loops over examples and units"},
    {
        "cell": "contractive_gradients",
        "find": "dW = lam / N * (G.T @ X + 2 * np.sum(slopes**2, axis=0)[:, None] * W)",
        "replace": "dW = lam * (G.T @ X / N + 2 * np.mean(slopes**2, axis=0)[:, None] * W)",
        "why": "the mean written with np.mean for the weight-decay part",
    },
]
