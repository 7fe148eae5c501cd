"""Wrong answers (MUTANTS) and differently written right answers (ALTERNATIVES) for 01_backprop_gradcheck.

Read by tests/test_pipeline.py (format in tests/pipeline_fixtures/solutions/toy/mutants.py): `cell` is the
grade_id of a solution cell; `find`/`replace` edit the reference answer (markers removed, every occurrence),
`source` replaces the whole cell; `why` says what the mistake or the alternative is. Every mutant must lose
points on the test cells that follow its cell (or on `exercise`); every alternative must get full marks
everywhere. EXTRA_MUTANTS are further mistakes that only tests/test_notebook_01.py checks (in-process).
"""

_DELEGATE_LOSS = """    loss, grads = ae.Autoencoder(W1.shape[0], hidden=activation, bias=False).loss_and_grads({"W1": W1, "W2": W2}, X)
    return loss, grads["W1"], grads["W2"]
    N = X.shape[0]"""

_DELEGATE_FULL = """    model = ae.Autoencoder(W1.shape[0], hidden=activation, penalties=(ae.penalties.WeightDecay(lam),) if lam else ())
    return model.loss_and_grads(params, X)
    N = X.shape[0]"""

_DELEGATE_CHECK = """    as_dict = lambda p: (lambda l, g1, g2: (l, {"W1": g1, "W2": g2}))(*fn(X, p["W1"], p["W2"], activation))
    errors = ae.gradcheck.check_gradients(as_dict, {"W1": W1, "W2": W2}, eps)
    return errors["W1"], errors["W2"]
    _, dW1, dW2 = fn(X, W1, W2, activation)"""

MUTANTS = [
    # ---- loss_and_grads: the bias-free loss and its two gradients
    {
        "cell": "loss_and_grads",
        "find": "dW2 = dX_hat.T @ H",
        "replace": "dW2 = H.T @ dX_hat",
        "why": "missing transpose: dW2 comes out (k, d) instead of (d, k)",
    },
    {
        "cell": "loss_and_grads",
        "find": "E = X_hat - X",
        "replace": "E = X - X_hat",
        "why": "sign error: error taken as x - x_hat, so both gradients point uphill (the loss is unchanged)",
    },
    {
        "cell": "loss_and_grads",
        "find": " * DERIVATIVES[activation](A, H)",
        "replace": "",
        "why": "missing sigma': the hidden delta skips the activation's derivative",
    },
    {
        "cell": "loss_and_grads",
        "find": "loss = 0.5 * np.sum(E**2) / N",
        "replace": "loss = 0.5 * np.sum(E**2)",
        "why": "sum instead of mean over examples in the loss",
    },
    {
        "cell": "loss_and_grads",
        "find": "dX_hat = E / N",
        "replace": "dX_hat = E",
        "why": "the gradients forget the 1/N of the mean (right only for N = 1)",
    },
    {
        "cell": "loss_and_grads",
        "find": "0.5 * np.sum(E**2) / N",
        "replace": "0.5 * np.mean(np.sum(E**2, axis=0))",
        "why": "averaging over the wrong axis: divides by d instead of N",
    },
    {
        "cell": "loss_and_grads",
        "find": "    N = X.shape[0]",
        "replace": _DELEGATE_LOSS,
        "exercise": ["test_loss_and_grads_hidden", "test_loss_and_grads_float32"],
        "why": "delegates to ae.Autoencoder.loss_and_grads instead of writing the backprop",
    },
    # ---- numerical_gradient: central differences
    {
        "cell": "numerical_gradient",
        "find": "grad[idx] = (f_plus - f_minus) / (2 * eps)",
        "replace": "grad[idx] = (f_plus - f(W)) / eps",
        "why": "one-sided difference (f(w + eps) - f(w)) / eps",
    },
    {
        "cell": "numerical_gradient",
        "find": "    grad = np.zeros_like(W)",
        "replace": "    grad = np.zeros_like(W)\n    eps = 1e-4  # the lecture's step",
        "exercise": "test_numerical_gradient_hidden",
        "why": "wrong eps handling: ignores the eps argument",
    },
    {
        "cell": "numerical_gradient",
        "find": "        W[idx] = original                       # restore before moving to the next entry\n",
        "replace": "",
        "why": "forgets to restore each entry, so later entries are differentiated at a shifted point",
    },
    {
        "cell": "numerical_gradient",
        "find": "    W = np.array(W, dtype=np.float64)",
        "replace": "    return ae.gradcheck.numerical_gradient(f, W, eps)",
        "exercise": "test_numerical_gradient_hidden",
        "why": "delegates to ae.gradcheck.numerical_gradient",
    },
    # ---- rel_error
    {
        "cell": "rel_error",
        "find": "float(np.linalg.norm(a - b) / np.linalg.norm(a + b))",
        "replace": "float(np.max(np.abs(a - b) / np.abs(a + b)))",
        "why": "relative error without the norm: largest entrywise ratio",
    },
    {
        "cell": "rel_error",
        "find": "np.linalg.norm(a + b)",
        "replace": "np.linalg.norm(a)",
        "why": "divides by ||a|| only (not symmetric)",
    },
    {
        "cell": "rel_error",
        "find": "    a = np.asarray(a, dtype=np.float64)",
        "replace": "    return ae.gradcheck.rel_error(a, b)",
        "exercise": "test_rel_error_hidden",
        "why": "delegates to ae.gradcheck.rel_error",
    },
    # ---- gradient_check
    {
        "cell": "gradient_check",
        "find": "lambda W: fn(X, W, W2, activation)[0]",
        "replace": "lambda W: fn(X, W1, W2, activation)[0]",
        "why": "closure bug: the perturbed W is never used, so the numerical dW1 is 0",
    },
    {
        "cell": "gradient_check",
        "find": "return rel_error(num_dW1, dW1), rel_error(num_dW2, dW2)",
        "replace": "return rel_error(num_dW2, dW2), rel_error(num_dW1, dW1)",
        "why": "returns the two errors in the wrong order",
    },
    {
        "cell": "gradient_check",
        "find": ", W1, eps)",
        "replace": ", W1)",
        "exercise": "test_gradient_check_hidden",
        "why": "wrong eps handling: eps is not passed on for W1",
    },
    {
        "cell": "gradient_check",
        "find": "    _, dW1, dW2 = fn(X, W1, W2, activation)",
        "replace": _DELEGATE_CHECK,
        "exercise": "test_gradient_check_hidden",
        "why": "delegates to ae.gradcheck.check_gradients",
    },
    # ---- loss_and_grads_full: biases and weight decay
    {
        "cell": "loss_and_grads_full",
        "find": '"b1": dA.sum(axis=0)',
        "replace": '"b1": np.zeros_like(b1)',
        "why": "forgotten bias gradient for b1",
    },
    {
        "cell": "loss_and_grads_full",
        "find": '"b2": dX_hat.sum(axis=0)',
        "replace": '"b2": dX_hat.sum(axis=0) + lam * b2',
        "why": "weight decay applied to a bias",
    },
    {
        "cell": "loss_and_grads_full",
        "find": "+ lam * W1",
        "replace": "+ 0.5 * lam * W1",
        "why": "decay gradient lam/2 W1 instead of lam W1",
    },
    {
        "cell": "loss_and_grads_full",
        "find": "dX_hat.sum(axis=0)",
        "replace": "dX_hat.mean(axis=0)",
        "exercise": "test_full_hidden",
        "why": "mean instead of sum for b2: divides by N twice (right only for N = 1)",
    },
    {
        "cell": "loss_and_grads_full",
        "find": "    N = X.shape[0]",
        "replace": _DELEGATE_FULL,
        "exercise": "test_full_hidden",
        "why": "delegates to ae.Autoencoder with ae.penalties.WeightDecay",
    },
    # ---- init_normal / init_uniform
    {
        "cell": "init",
        "find": "rng.normal(0.0, scale, size=(n_out, n_in))",
        "replace": "rng.normal(0.0, scale**2, size=(n_out, n_in))",
        "exercise": "test_init_hidden",
        "why": "passes the variance scale^2 where numpy expects the std",
    },
    {
        "cell": "init",
        "find": "rng.normal(0.0, scale, size=(n_out, n_in))",
        "replace": "rng.normal(0.0, scale, size=(n_in, n_out))",
        "why": "transposed shape (n_in, n_out)",
    },
    {
        "cell": "init",
        "find": "n_in + n_out + 1",
        "replace": "n_in + n_out",
        "exercise": ["test_init_public", "test_init_hidden"],
        "why": "uniform bound without the + 1",
    },
    {
        "cell": "init",
        "find": "rng.uniform(-r, r,",
        "replace": "np.random.uniform(-r, r,",
        "why": "draws from numpy's global generator instead of rng: not reproducible",
    },
    {
        "cell": "init",
        "find": "    return rng.normal(0.0, scale, size=(n_out, n_in))",
        "replace": "    return ae.layers.init_weight(n_out, n_in, 'normal', rng, scale=scale)",
        "exercise": "test_init_hidden",
        "why": "delegates to ae.layers.init_weight",
    },
]

# More mistakes of the same kinds. tests/test_notebook_01.py checks them in-process (seconds); the
# pipeline's kernel round trip only runs MUTANTS, to keep `make test` within its time budget.
EXTRA_MUTANTS = [
    {
        "cell": "loss_and_grads",
        "find": "DERIVATIVES[activation](A, H)",
        "replace": "DERIVATIVES[activation](A, A)",
        "why": "sigma' fed the pre-activation where it expects sigma(a): a(1 - a) instead of s(1 - s) for sigmoid",
    },
    {
        "cell": "numerical_gradient",
        "find": "/ (2 * eps)",
        "replace": "/ eps",
        "why": "divides the central difference by eps instead of 2 eps",
    },
    {
        "cell": "rel_error",
        "find": "np.linalg.norm(a - b) / np.linalg.norm(a + b)",
        "replace": "np.sum((a - b) ** 2) / np.sum((a + b) ** 2)",
        "why": "squared norms: forgot the square roots",
    },
    {
        "cell": "gradient_check",
        "find": "lambda W: fn(X, W1, W, activation)[0]",
        "replace": "lambda W: fn(X, W1, W, activation)[1]",
        "why": "takes the wrong element of fn's result (a gradient array instead of the loss)",
    },
    {
        "cell": "loss_and_grads_full",
        "find": "loss = 0.5 * np.sum(E**2) / N + decay",
        "replace": "loss = 0.5 * np.sum(E**2) / N",
        "why": "the weight decay is left out of the loss",
    },
    {
        "cell": "init",
        "find": "rng.normal(0.0, scale, size=(n_out, n_in))",
        "replace": "rng.normal(0.0, np.sqrt(scale), size=(n_out, n_in))",
        "why": "std sqrt(scale) = 0.1 instead of scale",
    },
    {
        "cell": "init",
        "find": "rng.uniform(-r, r,",
        "replace": "rng.uniform(0, r,",
        "exercise": "test_init_hidden",
        "why": "uniform on [0, r] instead of [-r, r]",
    },
    {
        "cell": "loss_and_grads",
        "find": "dW1 = dA.T @ X",
        "replace": "dW1 = X.T @ dA",
        "why": "missing transpose: dW1 comes out (d, k) instead of (k, d)",
    },
    {
        "cell": "loss_and_grads_full",
        "find": "dA = (dX_hat @ W2) * DERIVATIVES[activation](A, H)",
        "replace": "dA = dX_hat @ W2",
        "why": "missing sigma' in the hidden delta",
        "exercise": "test_full_hidden",
    },
    {
        "cell": "gradient_check",
        "find": ", W2, eps)",
        "replace": ", W2)",
        "exercise": "test_gradient_check_hidden",
        "why": "eps is passed on for W1 but not for W2 (W2 enters the notebook's loss quadratically, so it hid)",
    },
    {
        "cell": "gradient_check",
        "find": "lambda W: fn(",
        "replace": "lambda W: loss_and_grads(",
        "exercise": "test_gradient_check_hidden",
        "why": "differentiates the notebook's loss_and_grads instead of the fn it is given",
    },
]

ALTERNATIVES = [
    {
        "cell": "loss_and_grads",
        "why": "einsum instead of @",
        "source": """
def loss_and_grads(X, W1, W2, activation="sigmoid"):
    n = X.shape[0]
    A = np.einsum("kd,nd->nk", W1, X)
    H = ACTIVATIONS[activation](A)
    R = np.einsum("dk,nk->nd", W2, H) - X
    loss = np.einsum("nd,nd->", R, R) / (2 * n)
    G = np.einsum("nd,dk->nk", R, W2) * DERIVATIVES[activation](A, H)
    return loss, np.einsum("nk,nd->kd", G, X) / n, np.einsum("nd,nk->dk", R, H) / n
""",
    },
    {
        "cell": "loss_and_grads",
        "why": "a loop over examples with the per-example outer products",
        "source": """
def loss_and_grads(X, W1, W2, activation="sigmoid"):
    N = len(X)
    loss, dW1, dW2 = 0.0, np.zeros(W1.shape), np.zeros(W2.shape)
    for x in X:
        a = W1 @ x
        z = ACTIVATIONS[activation](a)
        e = W2 @ z - x
        loss += 0.5 * (e @ e) / N
        dW2 += np.outer(e, z) / N
        delta = (W2.T @ e) * DERIVATIVES[activation](a, z)
        dW1 += np.outer(delta, x) / N
    return loss, dW1, dW2
""",
    },
    {
        "cell": "loss_and_grads",
        "why": "computes everything in float32",
        "source": """
def loss_and_grads(X, W1, W2, activation="sigmoid"):
    X, W1, W2 = (np.asarray(M, dtype=np.float32) for M in (X, W1, W2))
    N = np.float32(X.shape[0])
    A = X @ W1.T
    H = ACTIVATIONS[activation](A)
    E = H @ W2.T - X
    loss = np.sum(E * E) / (2 * N)
    D = E / N
    dA = (D @ W2) * DERIVATIVES[activation](A, H)
    return loss, dA.T @ X, D.T @ H
""",
    },
    {
        "cell": "numerical_gradient",
        "why": "flat index and a fresh step array for each entry",
        "source": """
def numerical_gradient(f, W, eps=1e-4):
    W = np.asarray(W, dtype=float)
    grad = np.empty(W.size)
    for i in range(W.size):
        step = np.zeros(W.size)
        step[i] = eps
        step = step.reshape(W.shape)
        grad[i] = (f(W + step) - f(W - step)) / (2 * eps)
    return grad.reshape(W.shape)
""",
    },
    {
        "cell": "rel_error",
        "find": "float(np.linalg.norm(a - b) / np.linalg.norm(a + b))",
        "replace": "np.sqrt(np.sum((a - b) ** 2) / np.sum((a + b) ** 2))",
        "why": "square root of sums of squares, returning a numpy scalar",
    },
    {
        "cell": "gradient_check",
        "why": "a loop over the weight names with keyword arguments",
        "source": """
def gradient_check(fn, X, W1, W2, activation, eps=1e-4):
    weights = {"W1": W1, "W2": W2}
    analytic = dict(zip(["W1", "W2"], fn(X, W1, W2, activation)[1:]))
    errors = []
    for name in ["W1", "W2"]:
        def loss_of(W, name=name):
            return fn(X, **{**weights, name: W}, activation=activation)[0]
        errors.append(rel_error(numerical_gradient(loss_of, weights[name], eps=eps), analytic[name]))
    return tuple(errors)
""",
    },
    {
        "cell": "loss_and_grads_full",
        "why": "a loop over examples accumulating the lecture's Delta W and Delta b",
        "source": """
def loss_and_grads_full(X, params, activation="sigmoid", lam=0.0):
    W1, b1, W2, b2 = params["W1"], params["b1"], params["W2"], params["b2"]
    N = len(X)
    grads = {key: np.zeros(value.shape) for key, value in params.items()}
    loss = lam / 2 * (np.sum(W1 * W1) + np.sum(W2 * W2))
    for x in X:
        a = W1 @ x + b1
        z = ACTIVATIONS[activation](a)
        e = W2 @ z + b2 - x
        delta = (W2.T @ e) * DERIVATIVES[activation](a, z)
        loss += 0.5 * np.dot(e, e) / N
        grads["W2"] += np.outer(e, z) / N
        grads["b2"] += e / N
        grads["W1"] += np.outer(delta, x) / N
        grads["b1"] += delta / N
    grads["W1"] += lam * W1
    grads["W2"] += lam * W2
    return loss, grads
""",
    },
    {
        "cell": "loss_and_grads_full",
        "why": "float32 and einsum",
        "source": """
def loss_and_grads_full(X, params, activation="sigmoid", lam=0.0):
    X = np.asarray(X, np.float32)
    W1, b1, W2, b2 = (np.asarray(params[key], np.float32) for key in ("W1", "b1", "W2", "b2"))
    lam, n = np.float32(lam), np.float32(X.shape[0])
    A = np.einsum("nd,kd->nk", X, W1) + b1
    H = ACTIVATIONS[activation](A)
    R = np.einsum("nk,dk->nd", H, W2) + b2 - X
    loss = np.sum(R * R) / (2 * n) + lam / 2 * (np.sum(W1 * W1) + np.sum(W2 * W2))
    G2 = R / n
    G1 = np.einsum("nd,dk->nk", G2, W2) * DERIVATIVES[activation](A, H)
    return loss, {"W1": np.einsum("nk,nd->kd", G1, X) + lam * W1, "b1": G1.sum(axis=0),
                  "W2": np.einsum("nd,nk->dk", G2, H) + lam * W2, "b2": G2.sum(axis=0)}
""",
    },
    {
        "cell": "init",
        "why": "scaled standard normal and an affine map of rng.random",
        "source": """
def init_normal(n_out, n_in, rng, scale=0.01):
    return scale * rng.standard_normal((n_out, n_in))


def init_uniform(n_out, n_in, rng):
    limit = (6 / (n_in + n_out + 1)) ** 0.5
    return limit * (2 * rng.random((n_out, n_in)) - 1)
""",
    },
]

EXTRA_ALTERNATIVES = [  # checked in-process only
    {
        "cell": "numerical_gradient",
        "why": "the rows of an identity matrix as the directions, on a flat copy",
        "source": """
def numerical_gradient(f, W, eps=1e-4):
    W = np.array(W, dtype=np.float64)
    flat = W.ravel()
    slopes = [(f((flat + eps * e).reshape(W.shape)) - f((flat - eps * e).reshape(W.shape))) / (2 * eps)
              for e in np.eye(flat.size)]
    return np.array(slopes).reshape(W.shape)
""",
    },
    {
        "cell": "rel_error",
        "why": "inner products with np.vdot instead of norms",
        "source": """
def rel_error(a, b):
    d = np.asarray(a, dtype=np.float64) - np.asarray(b, dtype=np.float64)
    s = np.asarray(a, dtype=np.float64) + np.asarray(b, dtype=np.float64)
    return float(np.sqrt(np.vdot(d, d) / np.vdot(s, s)))
""",
    },
    {
        "cell": "gradient_check",
        "why": "one numerical gradient over W1 and W2 stacked into a single vector",
        "source": """
def gradient_check(fn, X, W1, W2, activation, eps=1e-4):
    _, dW1, dW2 = fn(X, W1, W2, activation)
    n1 = W1.size

    def loss(theta):
        return fn(X, theta[:n1].reshape(W1.shape), theta[n1:].reshape(W2.shape), activation)[0]

    numeric = numerical_gradient(loss, np.concatenate([np.ravel(W1), np.ravel(W2)]), eps)
    return rel_error(numeric[:n1], np.ravel(dW1)), rel_error(numeric[n1:], np.ravel(dW2))
""",
    },
    {
        "cell": "init",
        "why": "rng.normal with keyword scale, and U[-1, 1] stretched by r",
        "source": """
def init_normal(n_out, n_in, rng, scale=0.01):
    return rng.normal(scale=scale, size=(n_out, n_in))


def init_uniform(n_out, n_in, rng):
    r = np.sqrt(6.0 / (n_in + n_out + 1))
    return r * rng.uniform(-1.0, 1.0, size=(n_out, n_in))
""",
    },
]
