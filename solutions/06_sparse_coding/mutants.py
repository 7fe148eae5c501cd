"""Wrong answers (MUTANTS) and differently written right answers (ALTERNATIVES) for 06_sparse_coding.

Read by tests/pipeline/test_pipeline.py and tests/notebooks/test_notebook_06.py (format in
docs/adding_a_notebook.md): `cell` is the grade_id of a solution cell; `find`/`replace` edit the reference answer
(markers removed, every occurrence), `source` replaces the whole cell; `why` says what the mistake or the
alternative is. Every mutant must lose points on the test cell that follows its cell, and only there; every
alternative must get full marks everywhere.

MUTANTS and ALTERNATIVES go through the kernel round trip (each group is a whole notebook graded by nbgrader), at
most two mutants per exercise; EXTRA_MUTANTS and EXTRA_ALTERNATIVES are checked in-process only.
"""

# ---------------------------------------------------------------- whole-cell answers

_SOFT_IN_PLACE = """
def soft_threshold(Z, t):
    Z[np.abs(Z) <= t] = 0
    Z -= t * np.sign(Z)
    return Z
"""

_ISTA_PROX_FIRST = """
def ista_step(X, W, S, lam, step, grad=code_gradient, prox=soft_threshold):
    return prox(S, step * lam) - step * grad(X, W, S)
"""

_OBJECTIVE_LOOP = """
def objective(X, W, S, lam, eta):
    total = eta * np.sum(W * W)
    for x, s in zip(X, S):  # one example at a time
        r = x - W @ s
        total += r @ r + lam * np.sum(np.abs(s))
    return float(total)
"""

_OBJECTIVE_FLOAT32 = """
def objective(X, W, S, lam, eta):
    X, W, S = (np.asarray(a, dtype=np.float32) for a in (X, W, S))
    residual = X - S @ W.T
    return float(eta * np.vdot(W, W) + np.vdot(residual, residual) + lam * np.abs(S).sum())
"""

_CODE_GRADIENT_LOOP = """
def code_gradient(X, W, S):
    G = np.empty((X.shape[0], W.shape[1]), dtype=np.result_type(X, W, S))
    for i in range(X.shape[0]):
        G[i] = -2 * W.T @ (X[i] - W @ S[i])  # the gradient for example i alone
    return G
"""

_DICTIONARY_GRADIENT_LOOP = """
def dictionary_gradient(X, W, S, eta):
    G = 2 * eta * W
    for x, s in zip(X, S):
        G = G - 2 * np.outer(x - W @ s, s)  # one outer product per example
    return G
"""

_SOFT_LOOP_ROWS = """
def soft_threshold(Z, t):
    Z = np.asarray(Z)
    out = np.zeros_like(Z, dtype=np.result_type(Z, np.float32))
    flat, result = Z.reshape(-1), out.reshape(-1)
    big = np.abs(flat) > t
    result[big] = flat[big] - t * np.sign(flat[big])  # the others stay exactly 0
    return out
"""

_SOFT_FLOAT32 = """
def soft_threshold(Z, t):
    Z32 = np.asarray(Z, dtype=np.float32)
    return np.sign(Z32) * np.maximum(np.abs(Z32) - np.float32(t), np.float32(0))
"""

_ISTA_ROWS = """
def ista_step(X, W, S, lam, step, grad=code_gradient, prox=soft_threshold):
    G = grad(X, W, S)
    return np.array([prox(s - step * g, step * lam) for s, g in zip(S, G)])  # one example at a time
"""

_REPARAM_LOOP = """
def reparam_gradient(X, W, R, lam):
    G = np.empty_like(R, dtype=np.result_type(X, W, R))
    for i, (x, r) in enumerate(zip(X, R)):
        residual = x - W @ (r * r)  # (d,)
        G[i] = -4 * r * (W.T @ residual) + 2 * lam * r
    return G
"""

_ENCODER_LOOP = """
def encoder_gradient(X, W, V, lam, g, g_prime):
    G = np.zeros(V.shape, dtype=np.result_type(X, W, V))
    for x in X:  # a sum over examples of outer products x delta^T
        a = V.T @ x  # (k,)
        s = g(a)
        delta = (-2 * W.T @ (x - W @ s) + lam) * g_prime(a)  # (k,)
        G += np.outer(x, delta)
    return G
"""

_ENCODER_EINSUM = """
def encoder_gradient(X, W, V, lam, g, g_prime):
    A = np.einsum("nd,dk->nk", X, V)
    residual = X - np.einsum("nk,dk->nd", g(A), W)
    delta = (lam - 2 * np.einsum("nd,dk->nk", residual, W)) * g_prime(A)
    return np.einsum("nd,nk->dk", X, delta)
"""

MUTANTS = [
    # ---- objective
    {
        "cell": "objective",
        "find": "np.sum(residual**2) + lam * np.sum(np.abs(S))",
        "replace": "np.mean(np.sum(residual**2, axis=1)) + lam * np.mean(np.sum(np.abs(S), axis=1))",
        "why": "a mean over examples instead of a sum (the public test stacks the example twice)",
    },
    {
        "cell": "objective",
        "find": "lam * np.sum(np.abs(S))",
        "replace": "lam * np.sum(S)",
        "why": "the L1 norm without the absolute value: negative codes lower the penalty",
    },
    # ---- code_gradient
    {
        "cell": "code_gradient",
        "find": "return -2 * residual @ W",
        "replace": "return 2 * residual @ W",
        "why": "sign error: the chain rule through -S W^T is forgotten",
    },
    {
        "cell": "code_gradient",
        "find": "return -2 * residual @ W",
        "replace": "return -residual @ W",
        "why": "the factor 2 of the square is missing",
    },
    # ---- dictionary_gradient
    {
        "cell": "dictionary_gradient",
        "find": "return 2 * eta * W - 2 * residual.T @ S",
        "replace": "return 2 * eta * W + 2 * (X + S @ W.T).T @ S",
        "why": "the circulating wrong answer: 2 eta W + sum 2 (x_i + W s_i) s_i^T",
    },
    {
        "cell": "dictionary_gradient",
        "find": "2 * eta * W",
        "replace": "eta * W",
        "why": "the weight decay's gradient without its factor 2 (the public test uses eta = 0.1 and 0.3)",
    },
    # ---- soft_threshold
    {
        "cell": "soft_threshold",
        "find": "return np.sign(Z) * np.maximum(np.abs(Z) - t, 0)",
        "replace": "return Z * (np.abs(Z) > t)",
        "why": "hard thresholding: keeps the large entries without shrinking them",
    },
    {
        "cell": "soft_threshold",
        "find": "return np.sign(Z) * np.maximum(np.abs(Z) - t, 0)",
        "replace": "return ae.sparse_coding.soft_threshold(Z, t)",
        "why": "delegates to the package's soft_threshold",
    },
    # ---- ista_step
    {
        "cell": "ista_step",
        "find": "return prox(Z, step * lam)",
        "replace": "return prox(Z, lam)",
        "why": "thresholds at lam instead of step * lam",
    },
    {
        "cell": "ista_step",
        "find": "Z = S - step * grad(X, W, S)",
        "replace": "Z = S + step * grad(X, W, S)",
        "why": "steps uphill: + step * gradient",
    },
    # ---- reparam_gradient
    {
        "cell": "reparam_gradient",
        "find": "return 2 * R * dS + 2 * lam * R",
        "replace": "return dS + 2 * lam * R",
        "why": "chain rule forgotten: the gradient with respect to S used as if it were the one for R",
    },
    {
        "cell": "reparam_gradient",
        "find": "2 * lam * R",
        "replace": "lam * np.sign(R)",
        "why": "keeps the L1 slope lam sign(r) instead of the gradient of lam r^2",
    },
    # ---- encoder_gradient
    {
        "cell": "encoder_gradient",
        "find": "dA = dS * g_prime(A)",
        "replace": "dA = dS",
        "why": "the activation's derivative g'(A) is left out",
    },
    {
        "cell": "encoder_gradient",
        "find": "dS = -2 * (X - S @ W.T) @ W + lam",
        "replace": "dS = -2 * (X - S @ W.T) @ W",
        "why": "the gradient of the sparsity penalty is left out",
    },
]

EXTRA_MUTANTS = [
    # ---- objective
    {
        "cell": "objective",
        "find": "eta * np.sum(W**2)",
        "replace": "eta * np.linalg.norm(W)",
        "why": "the Frobenius norm of W instead of its square",
    },
    {
        "cell": "objective",
        "find": "lam * np.sum(np.abs(S))",
        "replace": "lam * np.sum(S**2)",
        "why": "a squared L2 penalty on the codes instead of the L1 norm",
    },
    {
        "cell": "objective",
        "find": "np.sum(residual**2)",
        "replace": "0.5 * np.sum(residual**2)",
        "why": "a factor 1/2 on the reconstruction term",
    },
    {
        "cell": "objective",
        "find": "eta * np.sum(W**2) + ",
        "replace": "",
        "why": "the weight decay is left out",
    },
    {
        "cell": "objective",
        "find": "residual = X - S @ W.T",
        "replace": "residual = X - S @ W",
        "why": "W not transposed (a shape error when d != h)",
    },
    # ---- code_gradient
    {
        "cell": "code_gradient",
        "find": "return -2 * residual @ W",
        "replace": "return -2 * residual @ W / len(X)",
        "why": "divides by N, but E is a sum over examples",
    },
    {
        "cell": "code_gradient",
        "find": "return -2 * residual @ W",
        "replace": "return -2 * (X @ W - S)",
        "why": "drops W^T W: -2 (X W - S)",
    },
    {
        "cell": "code_gradient",
        "find": "return -2 * residual @ W",
        "replace": "return -2 * residual @ W + np.sign(S)",
        "why": "adds an L1 slope to the gradient of the smooth part",
    },
    # ---- dictionary_gradient
    {
        "cell": "dictionary_gradient",
        "find": "- 2 * residual.T @ S",
        "replace": "+ 2 * residual.T @ S",
        "why": "sign error in the data term",
    },
    {
        "cell": "dictionary_gradient",
        "find": "return 2 * eta * W - 2 * residual.T @ S",
        "replace": "return -2 * residual.T @ S",
        "why": "the weight decay's gradient is left out",
    },
    {
        "cell": "dictionary_gradient",
        "find": "residual.T @ S",
        "replace": "S.T @ residual",
        "why": "the transpose: an (h, d) array",
    },
    {
        "cell": "dictionary_gradient",
        "find": "- 2 * residual.T @ S",
        "replace": "- 2 * residual.T @ S / len(X)",
        "why": "a mean over examples in the data term",
    },
    # ---- soft_threshold
    {
        "cell": "soft_threshold",
        "find": "return np.sign(Z) * np.maximum(np.abs(Z) - t, 0)",
        "replace": "return np.maximum(np.abs(Z) - t, 0)",
        "why": "drops the sign: negative entries come out positive",
    },
    {
        "cell": "soft_threshold",
        "find": "return np.sign(Z) * np.maximum(np.abs(Z) - t, 0)",
        "replace": "return np.maximum(Z - t, 0)",
        "why": "only shrinks positive entries (the non-negative prox)",
    },
    {"cell": "soft_threshold", "source": _SOFT_IN_PLACE, "why": "changes Z in place"},
    {
        "cell": "soft_threshold",
        "find": "np.abs(Z) - t",
        "replace": "np.abs(Z) - t / 2",
        "why": "shrinks by t / 2",
    },
    {
        "cell": "soft_threshold",
        "find": "return np.sign(Z) * np.maximum(np.abs(Z) - t, 0)",
        "replace": "return np.clip(Z, -t, t)",
        "why": "clips to [-t, t]: the part soft thresholding removes",
    },
    # ---- ista_step
    {
        "cell": "ista_step",
        "find": "return prox(Z, step * lam)",
        "replace": "return soft_threshold(Z, step * lam)",
        "why": "ignores the prox it is given",
    },
    {
        "cell": "ista_step",
        "find": "grad(X, W, S)",
        "replace": "code_gradient(X, W, S)",
        "why": "ignores the gradient it is given",
    },
    {"cell": "ista_step", "source": _ISTA_PROX_FIRST, "why": "thresholds first, then takes the gradient step"},
    {
        "cell": "ista_step",
        "find": "return prox(Z, step * lam)",
        "replace": "return prox(Z, lam / step)",
        "why": "threshold lam / step",
    },
    # ---- reparam_gradient
    {
        "cell": "reparam_gradient",
        "find": "S = R * R",
        "replace": "S = R",
        "why": "the residual uses R instead of the codes R * R",
    },
    {
        "cell": "reparam_gradient",
        "find": "+ 2 * lam * R",
        "replace": "+ lam * R",
        "why": "the gradient of lam r^2 without its 2",
    },
    {
        "cell": "reparam_gradient",
        "find": "return 2 * R * dS + 2 * lam * R",
        "replace": "return R * dS + lam * R",
        "why": "d(r^2)/dr taken as r: half the gradient",
    },
    {
        "cell": "reparam_gradient",
        "find": "+ 2 * lam * R",
        "replace": "- 2 * lam * R",
        "why": "the penalty's gradient with the wrong sign",
    },
    # ---- encoder_gradient
    {
        "cell": "encoder_gradient",
        "find": "g_prime(A)",
        "replace": "2 * A",
        "why": "hard-codes the square's derivative (the hidden tests use softplus and ReLU too)",
    },
    {
        "cell": "encoder_gradient",
        "find": "return X.T @ dA",
        "replace": "return dA.T @ X",
        "why": "the transpose: a (k, d) array",
    },
    {
        "cell": "encoder_gradient",
        "find": "S = g(A)",
        "replace": "S = A",
        "why": "reconstructs from the pre-activations instead of the codes g(A)",
    },
    {
        "cell": "encoder_gradient",
        "find": "return X.T @ dA",
        "replace": "return ae.sparse_coding.encoder_gradient(X, W, V, lam, g, g_prime)",
        "why": "delegates to the package's encoder_gradient",
    },
]

ALTERNATIVES = [
    {
        "cell": "objective",
        "find": "return float(eta * np.sum(W**2) + np.sum(residual**2) + lam * np.sum(np.abs(S)))",
        "replace": "return float(eta * np.linalg.norm(W, 'fro') ** 2 + np.linalg.norm(residual) ** 2 + lam * np.abs(S).sum())",
        "why": "norms instead of sums of squares",
    },
    {
        "cell": "code_gradient",
        "find": "return -2 * residual @ W",
        "replace": "return 2 * S @ (W.T @ W) - 2 * X @ W",
        "why": "expanded: 2 S W^T W - 2 X W",
    },
    {
        "cell": "dictionary_gradient",
        "find": "return 2 * eta * W - 2 * residual.T @ S",
        "replace": "return 2 * eta * W - 2 * X.T @ S + 2 * W @ (S.T @ S)",
        "why": "expanded: 2 eta W - 2 X^T S + 2 W S^T S",
    },
    {
        "cell": "soft_threshold",
        "find": "return np.sign(Z) * np.maximum(np.abs(Z) - t, 0)",
        "replace": "return np.where(np.abs(Z) > t, Z - t * np.sign(Z), 0.0)",
        "why": "np.where: shrink the large entries, zero the others",
    },
    {
        "cell": "ista_step",
        "find": "Z = S - step * grad(X, W, S)                # gradient step on the smooth part, (N, h)\n    return prox(Z, step * lam)",
        "replace": "return prox(S - step * grad(X, W, S), t=step * lam)",
        "why": "one line, the threshold passed by keyword",
    },
    {
        "cell": "reparam_gradient",
        "find": "return 2 * R * dS + 2 * lam * R",
        "replace": "return -4 * R * ((X - (R**2) @ W.T) @ W) + 2 * lam * R",
        "why": "the closed form written out in one line",
    },
    {"cell": "encoder_gradient", "source": _ENCODER_LOOP, "why": "a loop over examples, summing outer products"},
]

EXTRA_ALTERNATIVES = [
    {"cell": "objective", "source": _OBJECTIVE_LOOP, "why": "a loop over examples"},
    {"cell": "objective", "source": _OBJECTIVE_FLOAT32, "why": "computed in float32 with vdot"},
    {"cell": "code_gradient", "source": _CODE_GRADIENT_LOOP, "why": "a loop over examples"},
    {
        "cell": "code_gradient",
        "find": "return -2 * residual @ W",
        "replace": "return -2 * np.einsum('nd,dh->nh', residual, W)",
        "why": "einsum",
    },
    {"cell": "dictionary_gradient", "source": _DICTIONARY_GRADIENT_LOOP, "why": "a sum of outer products"},
    {
        "cell": "dictionary_gradient",
        "find": "return 2 * eta * W - 2 * residual.T @ S",
        "replace": "return 2 * eta * W - 2 * np.einsum('nd,nh->dh', residual, S)",
        "why": "einsum",
    },
    {
        "cell": "soft_threshold",
        "find": "return np.sign(Z) * np.maximum(np.abs(Z) - t, 0)",
        "replace": "return np.maximum(Z - t, 0) + np.minimum(Z + t, 0)",
        "why": "the positive and negative parts shrunk separately",
    },
    {"cell": "soft_threshold", "source": _SOFT_LOOP_ROWS, "why": "boolean indexing into a zero array"},
    {"cell": "soft_threshold", "source": _SOFT_FLOAT32, "why": "computed in float32"},
    {"cell": "ista_step", "source": _ISTA_ROWS, "why": "the prox applied row by row"},
    {
        "cell": "ista_step",
        "find": "Z = S - step * grad(X, W, S)",
        "replace": "Z = S.astype(np.float64) - step * np.asarray(grad(X, W, S), dtype=np.float64)",
        "why": "the gradient step in float64 whatever the input dtype",
    },
    {"cell": "reparam_gradient", "source": _REPARAM_LOOP, "why": "a loop over examples"},
    {
        "cell": "reparam_gradient",
        "find": "S = R * R                                   # (N, k) non-negative codes\n    dS = -2 * (X - S @ W.T) @ W                 # (N, k) gradient of the reconstruction term w.r.t. S\n    return 2 * R * dS + 2 * lam * R",
        "replace": "return 2 * R * (code_gradient(X, W, R * R) + lam)",
        "why": "reuses the notebook's own code_gradient: 2 R (dE/dS + lam)",
    },
    {"cell": "encoder_gradient", "source": _ENCODER_EINSUM, "why": "einsum"},
    {
        "cell": "encoder_gradient",
        "find": "dS = -2 * (X - S @ W.T) @ W + lam",
        "replace": "dS = code_gradient(X, W, S) + lam",
        "why": "reuses the notebook's own code_gradient",
    },
]
