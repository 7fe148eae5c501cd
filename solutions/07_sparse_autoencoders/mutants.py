"""Wrong answers (MUTANTS) and differently written right answers (ALTERNATIVES) for 07_sparse_autoencoders.

Format: docs/adding_a_notebook.md. MUTANTS and ALTERNATIVES go through the nbgrader round trip; the EXTRA_ lists
are checked in-process only (tests/notebooks/test_notebook_07.py).
"""

_KL = "def kl_divergence(rho, rho_hat):\n{body}\n"
_DELTA = "def kl_delta(rho, rho_hat, beta):\n{body}\n"
_COST = (
    "def sparse_autoencoder_cost(params, X, rho, beta, lam, penalty=kl_divergence, penalty_delta=kl_delta):\n{body}\n"
)

_COST_PER_EXAMPLE = _COST.format(
    body="""    W1, b1, W2, b2 = params["W1"], params["b1"], params["W2"], params["b2"]
    m = X.shape[0]
    sig = lambda z: 1 / (1 + np.exp(-z))
    H = np.array([sig(W1 @ x + b1) for x in X])        # (m, k), one example at a time
    rho_hat = H.mean(axis=0)
    s = penalty_delta(rho, rho_hat, beta)
    J = beta * penalty(rho, rho_hat) + 0.5 * lam * (np.sum(W1 * W1) + np.sum(W2 * W2))
    grads = {"W1": lam * W1, "b1": np.zeros_like(b1), "W2": lam * W2, "b2": np.zeros_like(b2)}
    for x, h in zip(X, H):                               # UFLDL's per-example backpropagation
        y = sig(W2 @ h + b2)
        J += 0.5 * np.dot(y - x, y - x) / m
        d3 = (y - x) * y * (1 - y)                       # (d,)
        d2 = (W2.T @ d3 + s) * h * (1 - h)               # (k,): the sum over the s3 outputs, then the sparsity term
        grads["W2"] = grads["W2"] + np.outer(d3, h) / m
        grads["b2"] = grads["b2"] + d3 / m
        grads["W1"] = grads["W1"] + np.outer(d2, x) / m
        grads["b1"] = grads["b1"] + d2 / m
    return float(J), grads"""
)

_COST_EINSUM = _COST.format(
    body="""    W1, b1, W2, b2 = (np.asarray(params[n], dtype=np.float64) for n in ("W1", "b1", "W2", "b2"))
    m = len(X)
    A1 = np.einsum("md,kd->mk", X, W1) + b1
    H = 0.5 * (1 + np.tanh(A1 / 2))                      # the sigmoid written with tanh
    Y = 0.5 * (1 + np.tanh((np.einsum("mk,dk->md", H, W2) + b2) / 2))
    rho_hat = np.einsum("mk->k", H) / m
    E = Y - X
    J = np.einsum("md,md->", E, E) / (2 * m) + lam / 2 * (np.einsum("kd,kd->", W1, W1) + np.einsum("dk,dk->", W2, W2))
    J = J + beta * penalty(rho, rho_hat)
    D3 = E * Y * (1 - Y)
    D2 = (np.einsum("md,dk->mk", D3, W2) + penalty_delta(rho, rho_hat, beta)[None, :]) * H * (1 - H)
    return float(J), {"W2": np.einsum("md,mk->dk", D3, H) / m + lam * W2, "b2": np.einsum("md->d", D3) / m,
                      "W1": np.einsum("mk,md->kd", D2, X) / m + lam * W1, "b1": np.einsum("mk->k", D2) / m}"""
)

MUTANTS = [
    # ---- Exercise 1: the KL penalty
    {
        "cell": "kl_divergence",
        "find": "rho * np.log(rho / rho_hat) + (1 - rho) * np.log((1 - rho) / (1 - rho_hat))",
        "replace": "rho_hat * np.log(rho_hat / rho) + (1 - rho_hat) * np.log((1 - rho_hat) / (1 - rho))",
        "why": "KL(rho_hat || rho): the arguments swapped",
    },
    {
        "cell": "kl_divergence",
        "find": "return float(np.sum(kl))",
        "replace": "return float(np.mean(kl))",
        "why": "averages over the hidden units instead of summing",
    },
    # ---- Exercise 2: the sparsity delta
    {
        "cell": "kl_delta",
        "find": "beta * (-rho / rho_hat + (1 - rho) / (1 - rho_hat))",
        "replace": "beta * (rho / rho_hat - (1 - rho) / (1 - rho_hat))",
        "why": "the sign of the derivative flipped",
    },
    {
        "cell": "kl_delta",
        "find": "return beta * (",
        "replace": "return (",
        "why": "forgets beta",
    },
    # ---- Exercise 3: the cost and its gradients
    {
        "cell": "sparse_autoencoder_cost",
        "find": "D2 = (D3 @ W2 + penalty_delta(rho, rho_hat, beta)) * H * (1 - H)",
        "replace": "D2 = (D3 @ W2) * H * (1 - H) + penalty_delta(rho, rho_hat, beta)",
        "why": "adds the sparsity term after the multiplication by f'(z)",
    },
    {
        "cell": "sparse_autoencoder_cost",
        "find": '"W1": D2.T @ X / m + lam * W1,',
        "replace": '"W1": D2.T @ X + lam * W1,',
        "why": "forgets the 1/m in the encoder gradient",
    },
]

EXTRA_MUTANTS = [
    # ---- Exercise 1
    {
        "cell": "kl_divergence",
        "find": " + (1 - rho) * np.log((1 - rho) / (1 - rho_hat))",
        "replace": "",
        "why": "keeps only the rho log(rho / rho_hat) term (not a divergence: it can be negative)",
    },
    {
        "cell": "kl_divergence",
        "find": "rho * np.log(rho / rho_hat)",
        "replace": "rho * np.log2(rho / rho_hat)",
        "why": "mixes a base-2 logarithm into the natural-log divergence",
    },
    {
        "cell": "kl_divergence",
        "find": "rho_hat = np.asarray(rho_hat, dtype=np.float64)",
        "replace": "rho_hat = np.asarray(rho_hat, dtype=np.float64).mean()",
        "why": "one KL of the average activation instead of one per unit",
    },
    # ---- Exercise 2
    {
        "cell": "kl_delta",
        "find": "return beta * (-rho / rho_hat + (1 - rho) / (1 - rho_hat))",
        "replace": "return beta * (-rho / rho_hat + (1 - rho) / (1 - rho_hat)) / len(rho_hat)",
        "why": "divides by the number of hidden units",
    },
    {
        "cell": "kl_delta",
        "find": "return beta * (-rho / rho_hat + (1 - rho) / (1 - rho_hat))",
        "replace": "return beta * (-rho / rho_hat + (1 - rho) / (1 - rho_hat)) * rho_hat * (1 - rho_hat)",
        "why": "multiplies by a sigmoid derivative that belongs in the backward pass",
    },
    {
        "cell": "kl_delta",
        "find": "(1 - rho) / (1 - rho_hat)",
        "replace": "1 / (1 - rho_hat)",
        "why": "drops the (1 - rho) factor",
    },
    # ---- Exercise 3
    {
        "cell": "sparse_autoencoder_cost",
        "find": "D2 = (D3 @ W2 + penalty_delta(rho, rho_hat, beta))",
        "replace": "D2 = (D3 @ W2 + kl_delta(rho, rho_hat, beta))",
        "why": "calls kl_delta by name instead of the penalty_delta it was given",
    },
    {
        "cell": "sparse_autoencoder_cost",
        "find": '"b1": D2.sum(axis=0) / m,',
        "replace": '"b1": D2.sum(axis=0) / m + lam * b1,',
        "why": "puts weight decay on the hidden biases too",
        "exercise": "test_sparse_autoencoder_cost",
    },
    {
        "cell": "sparse_autoencoder_cost",
        "find": "D3 = (Y - X) * Y * (1 - Y)",
        "replace": "D3 = Y - X",
        "why": "forgets the derivative of the sigmoid output",
    },
    {
        "cell": "sparse_autoencoder_cost",
        "find": "+ 0.5 * lam * (np.sum(W1**2) + np.sum(W2**2))",
        "replace": "+ 0.5 * lam * np.sum(W1**2)",
        "why": "leaves the decoder weights out of the weight decay (value only)",
    },
    {
        "cell": "sparse_autoencoder_cost",
        "find": "D2 = (D3 @ W2 + penalty_delta(rho, rho_hat, beta))",
        "replace": "D2 = (D3 @ W2 + penalty_delta(rho, rho_hat, beta) / m)",
        "why": "divides the sparsity delta by m before the final 1/m (the penalty counted m times too weakly)",
    },
    {
        "cell": "sparse_autoencoder_cost",
        "find": "D2 = (D3 @ W2 + penalty_delta(rho, rho_hat, beta)) * H * (1 - H)",
        "replace": "D2 = (D3[:, : H.shape[1]] @ W2[: H.shape[1]] + penalty_delta(rho, rho_hat, beta)) * H * (1 - H)",
        "why": "sums over the first s2 outputs only, as the UFLDL tutorial's index suggests",
    },
]

ALTERNATIVES = [
    {
        "cell": "kl_divergence",
        "source": _KL.format(
            body="""    total = 0.0
    for r in np.ravel(rho_hat):                        # one Bernoulli divergence per hidden unit
        r = float(r)
        total += rho * (np.log(rho) - np.log(r)) + (1 - rho) * (np.log1p(-rho) - np.log1p(-r))
    return total"""
        ),
        "why": "a loop over units with log differences and log1p",
    },
    {
        "cell": "kl_delta",
        "source": _DELTA.format(
            body="""    r = np.asarray(rho_hat, dtype=np.float64)
    return beta * (r - rho) / (r * (1 - r))           # the same fraction over a common denominator"""
        ),
        "why": "the derivative over a common denominator",
    },
    {"cell": "sparse_autoencoder_cost", "source": _COST_PER_EXAMPLE, "why": "UFLDL's per-example loop"},
]

EXTRA_ALTERNATIVES = [
    {
        "cell": "kl_divergence",
        "source": _KL.format(
            body="""    from scipy.special import rel_entr
    r = np.asarray(rho_hat, dtype=np.float64)
    return float(np.sum(rel_entr(rho, r) + rel_entr(1 - rho, 1 - r)))"""
        ),
        "why": "scipy.special.rel_entr",
    },
    {
        "cell": "kl_delta",
        "source": _DELTA.format(
            body="""    r = np.asarray(rho_hat, dtype=np.float64)
    return np.array([beta * ((1 - rho) / (1 - v) - rho / v) for v in r])"""
        ),
        "why": "a list comprehension over units",
    },
    {"cell": "sparse_autoencoder_cost", "source": _COST_EINSUM, "why": "einsum everywhere, sigmoid via tanh"},
]
