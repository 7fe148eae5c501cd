"""Wrong answers (MUTANTS) and differently written right answers (ALTERNATIVES) for 05_denoising_autoencoder.

Format: docs/adding_a_notebook.md. MUTANTS and ALTERNATIVES go through the nbgrader round trip; the EXTRA_ lists
are checked in-process only (tests/notebooks/test_notebook_05.py).
"""

_FORWARD = "def forward(self, x):\n{body}\n\n\nDenoisingAutoencoder.forward = forward\n"
_BACKWARD = "def backward(self, dEdy):\n{body}\n\n\nDenoisingAutoencoder.backward = backward\n"
_UPDATE = "def update(self, lr):\n{body}\n\n\nDenoisingAutoencoder.update = update\n"

_BACKWARD_MEAN = _BACKWARD.format(
    body="""    X, H, D = np.atleast_2d(self.x), np.atleast_2d(self.h), np.atleast_2d(dEdy)
    B = X.shape[0]
    self.dV = H.T @ D / B
    self.dc = D.mean(axis=0)
    dZ = (D @ self.V.T) * (H > 0)
    self.dW = X.T @ dZ / B
    self.db = dZ.mean(axis=0)"""
)

_BACKWARD_SINGLE_ONLY = _BACKWARD.format(
    body="""    self.dV = np.outer(self.h, dEdy)
    self.dc = np.asarray(dEdy, dtype=float)
    dz = (dEdy @ self.V.T) * (self.h > 0)
    self.dW = np.outer(self.x, dz)
    self.db = dz"""
)

_BACKWARD_RECOMPUTES_FROM_WEIGHTS = _BACKWARD.format(
    body="""    X, D = np.atleast_2d(self.x), np.atleast_2d(dEdy)
    H = np.atleast_2d(np.maximum(X @ self.W, 0.0))  # recomputes h, and forgets the bias on the way
    self.dV = H.T @ D
    self.dc = D.sum(axis=0)
    dZ = (D @ self.V.T) * (H > 0)
    self.dW = X.T @ dZ
    self.db = dZ.sum(axis=0)"""
)

_UPDATE_WEIGHTS_ONLY = _UPDATE.format(body="    self.W -= lr * self.dW\n    self.V -= lr * self.dV")

_MA_ZERO_PADDED = """
def moving_average(values, window=25):
    v = np.asarray(values, dtype=np.float64)
    return np.convolve(v, np.ones(window))[: v.size] / window  # the first steps are divided by the full window
"""

_MA_CENTRED = """
def moving_average(values, window=25):
    v = np.asarray(values, dtype=np.float64)
    sums = np.convolve(v, np.ones(window), mode="same")
    counts = np.convolve(np.ones_like(v), np.ones(window), mode="same")
    return sums / counts  # a centred window looks into the future
"""

_MA_VALID = """
def moving_average(values, window=25):
    v = np.asarray(values, dtype=np.float64)
    return np.convolve(v, np.ones(window) / window, mode="valid")  # shorter than the input
"""

_MA_OFF_BY_ONE = """
def moving_average(values, window=25):
    v = np.asarray(values, dtype=np.float64)
    return np.array([v[max(0, i - window):i + 1].mean() for i in range(v.size)])  # window + 1 values
"""

MUTANTS = [
    # ---- __init__
    {
        "cell": "dae_init",
        "find": "rng.normal(0.0, weight_std, size=(n_in, n_hidden))",
        "replace": "rng.normal(0.0, weight_std**2, size=(n_in, n_hidden))",
        "why": "uses the variance 0.01^2 as the standard deviation of W",
        "exercise": ["test_init_public", "test_init_hidden"],
    },
    {
        "cell": "dae_init",
        "find": "self.b = np.full(n_hidden, float(hidden_bias))",
        "replace": "self.b = np.full(n_hidden, 0.5)",
        "why": "ignores the hidden_bias argument (0.5 always)",
        "exercise": "test_init_hidden",
    },
    {
        "cell": "dae_init",
        "find": "rng = np.random.default_rng(seed)",
        "replace": "rng = np.random.default_rng()",
        "why": "ignores the seed",
        "exercise": ["test_init_public", "test_init_hidden"],
    },
    # ---- forward
    {
        "cell": "dae_forward",
        "find": "self.h = np.maximum(self.x @ self.W + self.b, 0.0)",
        "replace": "self.h = 1.0 / (1.0 + np.exp(-(self.x @ self.W + self.b)))",
        "why": "a sigmoid instead of a ReLU",
        "exercise": ["test_forward_public", "test_forward_hidden"],
    },
    {
        "cell": "dae_forward",
        "find": "return self.h @ self.V + self.c",
        "replace": "return self.h @ self.V",
        "why": "forgets the output bias c",
        "exercise": ["test_forward_public", "test_forward_hidden"],
    },
    # ---- backward
    {
        "cell": "dae_backward",
        "find": "dZ = (D @ self.V.T) * (H > 0)",
        "replace": "dZ = (D @ self.V.T) * H",
        "why": "multiplies by h instead of the ReLU's slope 1[h > 0]",
        "exercise": ["test_backward_public", "test_backward_hidden", "test_backward_batch"],
    },
    {
        "cell": "dae_backward",
        "find": "dZ = (D @ self.V.T) * (H > 0)",
        "replace": "dZ = D @ self.V.T",
        "why": "forgets the ReLU in the backward pass",
        "exercise": ["test_backward_public", "test_backward_hidden", "test_backward_batch"],
    },
    {
        "cell": "dae_backward",
        "source": _BACKWARD_MEAN,
        "why": "averages over the batch instead of summing",
        "exercise": ["test_backward_batch"],
    },
    # ---- update
    {
        "cell": "dae_update",
        "find": "self.W -= lr * self.dW",
        "replace": "self.W += lr * self.dW",
        "why": "steps uphill on W",
        "exercise": "test_update",
    },
    {
        "cell": "dae_update",
        "source": _UPDATE_WEIGHTS_ONLY,
        "why": "never updates the biases",
        "exercise": "test_update",
    },
    # ---- moving average
    {
        "cell": "moving_average",
        "source": _MA_ZERO_PADDED,
        "why": "pads with zeros: the first window-1 averages are too small",
        "exercise": ["test_moving_average_public", "test_moving_average_hidden"],
    },
    {
        "cell": "moving_average",
        "source": _MA_CENTRED,
        "why": "a centred window instead of a trailing one",
        "exercise": ["test_moving_average_public", "test_moving_average_hidden"],
    },
]

EXTRA_MUTANTS = [
    {
        "cell": "dae_init",
        "find": "self.V = rng.normal(0.0, weight_std, size=(n_hidden, n_in))",
        "replace": "self.V = self.W.T.copy()",
        "why": "ties V to W instead of drawing it",
        "exercise": "test_init_hidden",
    },
    {
        "cell": "dae_init",
        "find": "self.c = np.zeros(n_in)",
        "replace": "self.c = np.full(n_in, float(hidden_bias))",
        "why": "gives the output the hidden bias too",
        "exercise": ["test_init_public", "test_init_hidden"],
    },
    {
        "cell": "dae_forward",
        "find": "self.h = np.maximum(self.x @ self.W + self.b, 0.0)",
        "replace": "self.h = np.maximum(self.x @ self.W, 0.0) + self.b",
        "why": "adds the bias after the ReLU",
        "exercise": ["test_forward_public", "test_forward_hidden"],
    },
    {
        "cell": "dae_forward",
        "find": "self.h = np.maximum(self.x @ self.W + self.b, 0.0)   # (k,) or (B, k)\n    return self.h @ self.V + self.c",
        "replace": "z = self.x @ self.W + self.b\n    self.h = z\n    return np.maximum(z, 0.0) @ self.V + self.c",
        "why": "stores the pre-activation z as h",
        "exercise": ["test_forward_public", "test_forward_hidden"],
    },
    {
        "cell": "dae_forward",
        "find": "return self.h @ self.V + self.c",
        "replace": "return np.maximum(self.h @ self.V + self.c, 0.0)",
        "why": "a ReLU on the output layer too (the output must be linear)",
        "exercise": "test_forward_hidden",
    },
    {
        "cell": "dae_backward",
        "source": _BACKWARD_SINGLE_ONLY,
        "why": "np.outer flattens a batch: works for one example only",
        "exercise": ["test_backward_batch"],
    },
    {
        "cell": "dae_backward",
        "source": _BACKWARD_RECOMPUTES_FROM_WEIGHTS,
        "why": "recomputes h from the weights and forgets the bias",
        "exercise": ["test_backward_public", "test_backward_hidden", "test_backward_batch"],
    },
    {
        "cell": "dae_backward",
        "find": "self.db = dZ.sum(axis=0)",
        "replace": "self.db = D.sum(axis=0)[: dZ.shape[1]]",
        "why": "takes db from the output gradient",
        "exercise": ["test_backward_public", "test_backward_hidden", "test_backward_batch"],
    },
    {
        "cell": "dae_backward",
        "find": "self.dc = D.sum(axis=0)",
        "replace": "self.dc = 2 * D.sum(axis=0)",
        "why": "puts the 2 of dE/dy in again",
        "exercise": ["test_backward_public", "test_backward_hidden", "test_backward_batch"],
    },
    {
        "cell": "dae_update",
        "find": "self.b -= lr * self.db",
        "replace": "self.b -= lr * self.dW.sum(axis=0)",
        "why": "updates b with the wrong gradient",
        "exercise": "test_update",
    },
    {
        "cell": "dae_update",
        "find": "self.c -= lr * self.dc",
        "replace": "self.c -= lr**2 * self.dc",
        "why": "squares the learning rate for c",
        "exercise": "test_update",
    },
    {
        "cell": "moving_average",
        "source": _MA_VALID,
        "why": "mode='valid' returns a shorter array",
        "exercise": ["test_moving_average_public", "test_moving_average_hidden"],
    },
    {
        "cell": "moving_average",
        "source": _MA_OFF_BY_ONE,
        "why": "averages window + 1 values",
        "exercise": ["test_moving_average_public", "test_moving_average_hidden"],
    },
]

ALTERNATIVES = [
    {
        "cell": "dae_init",
        "source": """
class DenoisingAutoencoder:
    def __init__(self, n_in=784, n_hidden=225, weight_std=0.01, hidden_bias=0.5, seed=0):
        rng = np.random.default_rng(seed)
        self.W = weight_std * rng.standard_normal((n_in, n_hidden))
        self.V = weight_std * rng.standard_normal((n_hidden, n_in))
        self.b = hidden_bias * np.ones(n_hidden)
        self.c = np.zeros(n_in)
""",
        "why": "standard_normal scaled, V drawn before b",
    },
    {
        "cell": "dae_forward",
        "source": _FORWARD.format(
            body="""    self.x = np.array(x, dtype=float)
    z = np.einsum("...i,ij->...j", self.x, self.W) + self.b
    self.h = np.where(z > 0, z, 0.0)
    return np.einsum("...j,ji->...i", self.h, self.V) + self.c"""
        ),
        "why": "einsum and np.where",
    },
    {
        "cell": "dae_backward",
        "source": _BACKWARD.format(
            body="""    X, H, D = np.atleast_2d(self.x), np.atleast_2d(self.h), np.atleast_2d(dEdy)
    self.dW, self.db = np.zeros_like(self.W), np.zeros_like(self.b)
    self.dV, self.dc = np.zeros_like(self.V), np.zeros_like(self.c)
    for x, h, d in zip(X, H, D):  # one example at a time, summed
        self.dV += np.outer(h, d)
        self.dc += d
        dz = (self.V @ d) * (h > 0)
        self.dW += np.outer(x, dz)
        self.db += dz"""
        ),
        "why": "a loop over examples with outer products",
    },
    {
        "cell": "dae_update",
        "source": _UPDATE.format(
            body="""    for name in ["W", "b", "V", "c"]:
        setattr(self, name, getattr(self, name) - lr * getattr(self, "d" + name))"""
        ),
        "why": "new arrays through setattr",
    },
    {
        "cell": "moving_average",
        "source": """
def moving_average(values, window=25):
    out = []
    for i in range(len(values)):
        chunk = values[max(0, i - window + 1):i + 1]
        out.append(sum(chunk) / len(chunk))
    return np.array(out, dtype=float)
""",
        "why": "a plain Python loop",
    },
]

EXTRA_ALTERNATIVES = [
    {
        "cell": "moving_average",
        "source": """
def moving_average(values, window=25):
    import pandas as pd
    return pd.Series(np.asarray(values, dtype=float)).rolling(window, min_periods=1).mean().to_numpy()
""",
        "why": "pandas rolling mean",
    },
    {
        "cell": "dae_backward",
        "source": _BACKWARD.format(
            body="""    X = self.x.reshape(-1, self.W.shape[0])
    H = self.h.reshape(-1, self.W.shape[1])
    D = np.reshape(dEdy, X.shape)
    self.dV = np.einsum("bk,bd->kd", H, D)
    self.dc = np.einsum("bd->d", D)
    dZ = np.einsum("bd,kd->bk", D, self.V) * (H > 0)
    self.dW = np.einsum("bd,bk->dk", X, dZ)
    self.db = np.einsum("bk->k", dZ)"""
        ),
        "why": "einsum with reshape",
    },
    {
        "cell": "dae_forward",
        "source": _FORWARD.format(
            body="""    self.x = x
    self.h = (x @ self.W + self.b).clip(min=0)
    return self.h @ self.V + self.c"""
        ),
        "why": "clip, and keeps x as given (float32 stays float32)",
    },
    {
        "cell": "dae_update",
        "source": _UPDATE.format(
            body="""    self.W, self.b = self.W - lr * self.dW, self.b - lr * self.db
    self.V, self.c = self.V - lr * self.dV, self.c - lr * self.dc"""
        ),
        "why": "tuple assignment of new arrays",
    },
    {
        "cell": "dae_init",
        "source": """
class DenoisingAutoencoder:
    def __init__(self, n_in=784, n_hidden=225, weight_std=0.01, hidden_bias=0.5, seed=0):
        rng = np.random.default_rng(seed)
        self.W, self.V = (rng.normal(scale=weight_std, size=shape) for shape in [(n_in, n_hidden), (n_hidden, n_in)])
        self.b = np.repeat(float(hidden_bias), n_hidden)
        self.c = np.zeros(n_in, dtype=np.float64)
""",
        "why": "a generator expression and np.repeat",
    },
]
