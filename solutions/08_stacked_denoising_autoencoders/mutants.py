"""Wrong answers (MUTANTS) and differently written right answers (ALTERNATIVES) for 08_stacked_denoising_autoencoders.

Format: docs/adding_a_notebook.md. `cell` is the grade_id of a solution cell; `find`/`replace` edit the reference
answer, `source` replaces the whole cell; `why` says what the mistake or the alternative is. MUTANTS and
ALTERNATIVES go through the nbgrader round trip (two mutants and one alternative per exercise); the EXTRA_ lists
are checked in-process only (tests/notebooks/test_notebook_08.py).
"""

# ---------------------------------------------------------------- whole-cell answers

_SOFTMAX_ROWS = """
def softmax(Z):
    P = np.empty(np.shape(Z), dtype=np.result_type(Z, np.float32))
    for n, z in enumerate(Z):  # one example at a time
        e = np.exp(z - z.max())
        P[n] = e / e.sum()
    return P
"""

_SOFTMAX_LOGSUMEXP = """
def softmax(Z):
    m = Z.max(axis=1, keepdims=True)
    log_norm = m + np.log(np.exp(Z - m).sum(axis=1, keepdims=True))  # log of the denominator
    return np.exp(Z - log_norm)
"""

_SOFTMAX_FLOAT32 = """
def softmax(Z):
    Z32 = np.asarray(Z, dtype=np.float32)
    E = np.exp(Z32 - Z32.max(axis=1, keepdims=True))
    return E / E.sum(axis=1, keepdims=True)
"""

_SOFTMAX_GLOBAL_MAX = """
def softmax(Z):
    E = np.exp(Z - Z.max())  # one maximum for the whole batch: rows far below it underflow to 0 / 0
    return E / E.sum(axis=1, keepdims=True)
"""

_CE_ONE_HOT = """
def softmax_cross_entropy(Z, y):
    N, C = Z.shape
    Y = np.eye(C)[y]  # (N, C) one-hot labels
    shifted = Z - Z.max(axis=1, keepdims=True)
    log_p = shifted - np.log(np.exp(shifted).sum(axis=1, keepdims=True))
    return float(-np.sum(Y * log_p) / N), (np.exp(log_p) - Y) / N
"""

_CE_LOOP = """
def softmax_cross_entropy(Z, y):
    N = Z.shape[0]
    total, dZ = 0.0, np.zeros(Z.shape, dtype=np.result_type(Z, np.float32))
    for n in range(N):
        z = Z[n] - Z[n].max()
        log_norm = np.log(np.sum(np.exp(z)))
        total -= z[y[n]] - log_norm
        dZ[n] = np.exp(z - log_norm)
        dZ[n, y[n]] -= 1.0
    return float(total / N), dZ / N
"""

_CE_LOG_OF_SOFTMAX = """
def softmax_cross_entropy(Z, y):
    N = Z.shape[0]
    E = np.exp(Z - Z.max(axis=1, keepdims=True))
    P = E / E.sum(axis=1, keepdims=True)
    loss = -np.mean(np.log(P[np.arange(N), y]))  # log(0) = -inf when a probability underflows
    dZ = P.copy()
    dZ[np.arange(N), y] -= 1.0
    return float(loss), dZ / N
"""

_CE_IN_PLACE = """
def softmax_cross_entropy(Z, y):
    N = Z.shape[0]
    Z -= np.max(Z, axis=1, keepdims=True)  # changes the caller's array
    log_p = Z - np.log(np.sum(np.exp(Z), axis=1, keepdims=True))
    dZ = np.exp(log_p)
    dZ[np.arange(N), y] -= 1.0
    return float(-np.mean(log_p[np.arange(N), y])), dZ / N
"""

_REG_EINSUM = """
def softmax_regression(Theta, b, X, y, lam, loss=softmax_cross_entropy):
    Z = np.einsum("nd,cd->nc", X, Theta) + b
    value, dZ = loss(Z, y)
    J = value + 0.5 * lam * np.einsum("cd,cd->", Theta, Theta)
    return float(J), np.einsum("nc,nd->cd", dZ, X) + lam * Theta, np.einsum("nc->c", dZ)
"""

_REG_PER_CLASS = """
def softmax_regression(Theta, b, X, y, lam, loss=softmax_cross_entropy):
    Z = np.stack([X @ theta + b_c for theta, b_c in zip(Theta, b)], axis=1)  # one class at a time
    value, dZ = loss(Z, y)
    dTheta = np.stack([X.T @ dZ[:, c] for c in range(Theta.shape[0])]) + lam * Theta
    return float(value + lam / 2 * np.sum(Theta * Theta)), dTheta, dZ.sum(axis=0)
"""

_REG_OWN_LOSS = """
def softmax_regression(Theta, b, X, y, lam, loss=softmax_cross_entropy):
    Z = X @ Theta.T + b
    value, dZ = softmax_cross_entropy(Z, y)  # ignores the loss it was given
    return float(value + 0.5 * lam * np.sum(Theta**2)), dZ.T @ X + lam * Theta, dZ.sum(axis=0)
"""

MUTANTS = [
    # ---- softmax
    {
        "cell": "softmax",
        "find": "shifted = Z - np.max(Z, axis=1, keepdims=True)",
        "replace": "shifted = Z",
        "why": "no shift by the maximum: overflows for scores of size 1000",
    },
    {
        "cell": "softmax",
        "find": "return E / E.sum(axis=1, keepdims=True)",
        "replace": "return E / E.sum(axis=0, keepdims=True)",
        "why": "normalises the columns (over the batch) instead of the rows",
    },
    # ---- softmax_cross_entropy
    {
        "cell": "softmax_cross_entropy",
        "source": _CE_LOG_OF_SOFTMAX,
        "why": "the log of the softmax instead of log-sum-exp: -inf loss at scores (1000, 0)",
    },
    {
        "cell": "softmax_cross_entropy",
        "find": "return float(loss), dZ / N",
        "replace": "return float(loss), dZ",
        "why": "the gradient without the 1/N of the mean",
    },
    # ---- softmax_regression
    {
        "cell": "softmax_regression",
        "find": "dTheta = dZ.T @ X + lam * Theta",
        "replace": "dTheta = dZ.T @ X",
        "why": "forgets the weight decay's gradient",
    },
    {
        "cell": "softmax_regression",
        "source": _REG_OWN_LOSS,
        "why": "calls softmax_cross_entropy by name instead of the loss passed in",
    },
]

ALTERNATIVES = [
    {"cell": "softmax", "source": _SOFTMAX_ROWS, "why": "a loop over the rows"},
    {"cell": "softmax_cross_entropy", "source": _CE_ONE_HOT, "why": "a one-hot matrix from np.eye"},
    {"cell": "softmax_regression", "source": _REG_EINSUM, "why": "einsum throughout"},
]

EXTRA_MUTANTS = [
    # ---- softmax
    {
        "cell": "softmax",
        "find": "shifted = Z - np.max(Z, axis=1, keepdims=True)",
        "replace": "Z -= np.max(Z, axis=1, keepdims=True)\n    shifted = Z",
        "why": "subtracts the maximum in place: changes the caller's Z",
    },
    {"cell": "softmax", "source": _SOFTMAX_GLOBAL_MAX, "why": "one maximum for the whole batch"},
    {
        "cell": "softmax",
        "find": "return E / E.sum(axis=1, keepdims=True)",
        "replace": "return E / E.sum()",
        "why": "divides by the sum over the whole batch",
    },
    {
        "cell": "softmax",
        "find": "shifted = Z - np.max(Z, axis=1, keepdims=True)",
        "replace": "shifted = Z - np.min(Z, axis=1, keepdims=True)",
        "why": "subtracts the minimum: the largest exponent still overflows",
    },
    # ---- softmax_cross_entropy
    {
        "cell": "softmax_cross_entropy",
        "find": "loss = -np.sum(log_p[rows, y]) / N",
        "replace": "loss = -np.sum(log_p[rows, y])",
        "why": "a sum over the batch instead of the mean",
    },
    {
        "cell": "softmax_cross_entropy",
        "find": "dZ[rows, y] -= 1.0",
        "replace": "dZ[:, y] -= 1.0",
        "why": "subtracts 1 in the label's column of every row",
    },
    {
        "cell": "softmax_cross_entropy",
        "find": "return float(loss), dZ / N",
        "replace": "return float(loss), -dZ / N",
        "why": "the gradient with the wrong sign (Y - P)",
    },
    {"cell": "softmax_cross_entropy", "source": _CE_IN_PLACE, "why": "shifts Z in place"},
    # ---- softmax_regression
    {
        "cell": "softmax_regression",
        "find": "J = value + 0.5 * lam * np.sum(Theta**2)",
        "replace": "J = value + lam * np.sum(Theta**2)",
        "why": "lam ||Theta||^2 in J without the 1/2 (inconsistent with the gradient)",
    },
    {
        "cell": "softmax_regression",
        "find": "db = dZ.sum(axis=0)",
        "replace": "db = dZ.mean(axis=0)",
        "why": "averages dZ over the batch once more for the bias",
    },
    {
        "cell": "softmax_regression",
        "find": "db = dZ.sum(axis=0)",
        "replace": "db = dZ.sum(axis=0) + lam * b",
        "why": "weight decay on the bias too",
    },
    {
        "cell": "softmax_regression",
        "find": "Z = X @ Theta.T + b",
        "replace": "Z = X @ Theta.T",
        "why": "forgets the bias in the scores",
    },
]

EXTRA_ALTERNATIVES = [
    {"cell": "softmax", "source": _SOFTMAX_LOGSUMEXP, "why": "exp(Z - logsumexp(Z))"},
    {"cell": "softmax", "source": _SOFTMAX_FLOAT32, "why": "computed in float32"},
    {"cell": "softmax_cross_entropy", "source": _CE_LOOP, "why": "a loop over the examples"},
    {"cell": "softmax_regression", "source": _REG_PER_CLASS, "why": "one class at a time"},
]
