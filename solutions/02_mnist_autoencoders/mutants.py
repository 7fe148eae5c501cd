"""Wrong answers (MUTANTS) and differently written right answers (ALTERNATIVES) for 02_mnist_autoencoders.

Read by tests/test_pipeline.py and tests/test_notebook_02.py (format in tests/pipeline_fixtures/solutions/toy/mutants.py):
`cell` is the grade_id of a solution cell; `find`/`replace` edit the reference answer (markers removed, every
occurrence), `source` replaces the whole cell; `why` says what the mistake or the alternative is; `exercise` lists the
test cells that must lose points when it is not the test cells right after `cell`.
"""

_DELEGATE_STEP = """def sgd_step(W1, W2, X, activation, lr):
    model = ae.Autoencoder(W1.shape[0], hidden=activation, bias=False)
    loss, grads = model.loss_and_grads({"W1": W1, "W2": W2}, X)
    return W1 - lr * grads["W1"], W2 - lr * grads["W2"], float(loss)
"""

_EPOCH_NOT_CHAINED = """def train_epoch(W1, W2, X, activation, lr, batch_size, rng):
    N = X.shape[0]
    order = rng.permutation(N)
    total = 0.0
    for start in range(0, N, batch_size):
        batch = order[start:start + batch_size]
        W1_new, W2_new, loss = sgd_step(W1, W2, X[batch], activation, lr)
        total += loss * len(batch)
    return W1_new, W2_new, total / N
"""

_TABLE_UNSTACK = """def loss_table(results, split="test", activations=ACTIVATION_NAMES, sizes=HIDDEN_SIZES):
    losses = pd.Series({key: run[split] for key, run in results.items()})
    return losses.unstack()
"""

_TABLE_TRANSPOSED = """def loss_table(results, split="test", activations=ACTIVATION_NAMES, sizes=HIDDEN_SIZES):
    values = [[results[(activation, n_hidden)][split] for activation in activations] for n_hidden in sizes]
    return pd.DataFrame(values, index=sizes, columns=activations)
"""

_EPOCH_SHUFFLES_X = """def train_epoch(W1, W2, X, activation, lr, batch_size, rng):
    N = X.shape[0]
    rng.shuffle(X)
    total = 0.0
    for start in range(0, N, batch_size):
        batch = X[start:start + batch_size]
        W1, W2, loss = sgd_step(W1, W2, batch, activation, lr)
        total += loss * len(batch)
    return W1, W2, total / N
"""

MUTANTS = [
    # ---- sgd_step
    {
        "cell": "sgd_step",
        "find": "dA = (E @ W2) * DERIVATIVES[activation](A, H)",
        "replace": "dA = E @ W2",
        "why": "missing sigma': the hidden delta skips the activation's derivative",
        "exercise": "test_sgd_step_hidden",  # the public test's activation is the identity, whose sigma' is 1
    },
    {
        "cell": "sgd_step",
        "find": "E = (H @ W2.T - X) / B                         # (B, k) @ (k, d) -> (B, d) errors, with the 1/B of the mean\n"
        "    loss = 0.5 * B * np.sum(E**2)",
        "replace": "E = H @ W2.T - X\n    loss = 0.5 * np.sum(E**2) / B",
        "exercise": "test_sgd_step_hidden",
        "why": "the gradient of the sum over the batch, not of the mean (the loss itself is right)",
    },
    {
        "cell": "sgd_step",
        "find": "return W1 - lr * dW1, W2 - lr * dW2",
        "replace": "return W1 + lr * dW1, W2 + lr * dW2",
        "exercise": ["test_sgd_step_public", "test_sgd_step_hidden", "test_grid_public"],
        "why": "sign error: steps uphill, so training diverges",
    },
    {
        "cell": "sgd_step",
        "find": "loss = 0.5 * B * np.sum(E**2)",
        "replace": "loss = B * np.sum(E**2)",
        "why": "loss without the 1/2",
    },
    {
        "cell": "sgd_step",
        "source": _DELEGATE_STEP,
        "exercise": "test_sgd_step_hidden",
        "why": "delegates to ae.Autoencoder.loss_and_grads instead of writing the backprop",
    },
    # ---- train_epoch
    {
        "cell": "train_epoch",
        "find": "order = rng.permutation(N)",
        "replace": "order = np.arange(N)",
        "exercise": "test_train_epoch_hidden",
        "why": "never shuffles: the same batches in the same order every epoch",
    },
    {
        "cell": "train_epoch",
        "find": "range(0, N, batch_size)",
        "replace": "range(0, N - batch_size + 1, batch_size)",
        "why": "drops the last, smaller batch (and every example when batch_size > N)",
    },
    {
        "cell": "train_epoch",
        "find": "total += loss * len(batch)",
        "replace": "total += loss",
        "why": "adds the batch losses and divides by N, forgetting the batch sizes",
    },
    {
        "cell": "train_epoch",
        "source": _EPOCH_NOT_CHAINED,
        "exercise": "test_train_epoch_hidden",
        "why": "every step starts from the epoch's initial weights; only the last step survives",
    },
    # ---- run_grid
    {
        "cell": "run_grid",
        "find": "fit_autoencoder(X_train, X_test, n_hidden,",
        "replace": "fit_autoencoder(X_train, X_test, 25,",
        "why": "trains every size with 25 hidden units",
    },
    {
        "cell": "run_grid",
        "find": "fit_autoencoder(X_train, X_test,",
        "replace": "fit_autoencoder(X_test, X_train,",
        "exercise": "test_grid_hidden",
        "why": "trains on the test set and reports the training set as test",
    },
    {
        "cell": "run_grid",
        "find": "results[(activation, n_hidden)] =",
        "replace": "results[(n_hidden, activation)] =",
        "why": "keys in the wrong order: (n_hidden, activation)",
    },
    # ---- loss_table
    {
        "cell": "loss_table",
        "source": _TABLE_UNSTACK,
        "why": "Series.unstack sorts the rows alphabetically and ignores the lists it was given",
    },
    {"cell": "loss_table", "source": _TABLE_TRANSPOSED, "why": "transposed: sizes as rows, activations as columns"},
    {"cell": "loss_table", "find": "[split]", "replace": '["test"]', "why": "ignores split: always the test loss"},
    {
        "cell": "loss_table",
        "find": "for n_hidden in sizes] for activation in activations]",
        "replace": "for n_hidden in HIDDEN_SIZES] for activation in ACTIVATION_NAMES]",
        "exercise": "test_loss_table_hidden",
        "why": "reads the global lists instead of the arguments activations and sizes",
    },
]

ALTERNATIVES = [
    {
        "cell": "sgd_step",
        "why": "einsum instead of @ (optimize=True lets numpy use BLAS)",
        "source": """
def sgd_step(W1, W2, X, activation, lr):
    n = len(X)
    A = np.einsum("bd,kd->bk", X, W1, optimize=True)
    H = ACTIVATIONS[activation](A)
    R = np.einsum("bk,dk->bd", H, W2, optimize=True) - X
    loss = np.einsum("bd,bd->", R, R, optimize=True) / (2 * n)
    G = np.einsum("bd,dk->bk", R, W2, optimize=True) * DERIVATIVES[activation](A, H) / n
    W2_new = W2 - lr * np.einsum("bd,bk->dk", R, H, optimize=True) / n
    W1_new = W1 - lr * np.einsum("bk,bd->kd", G, X, optimize=True)
    return W1_new, W2_new, loss
""",
    },
    {
        "cell": "sgd_step",
        "why": "computes in float32 and updates the weights in place",
        "source": """
def sgd_step(W1, W2, X, activation, lr):
    W1, W2, X = (np.asarray(M, dtype=np.float32) for M in (W1, W2, X))
    A = X @ W1.T
    H = ACTIVATIONS[activation](A)
    err = H @ W2.T - X
    loss = float(np.mean(np.sum(err * err, axis=1)) / 2)
    delta = (err @ W2) * DERIVATIVES[activation](A, H)
    W2 -= np.float32(lr / len(X)) * (err.T @ H)
    W1 -= np.float32(lr / len(X)) * (delta.T @ X)
    return W1, W2, loss
""",
    },
    {
        "cell": "train_epoch",
        "why": "np.split into batches and np.average weighted by the batch sizes",
        "source": """
def train_epoch(W1, W2, X, activation, lr, batch_size, rng):
    order = rng.permutation(len(X))
    losses, sizes = [], []
    for batch in np.split(order, np.arange(batch_size, len(X), batch_size)):
        W1, W2, batch_loss = sgd_step(W1, W2, X[batch], activation, lr)
        losses.append(batch_loss)
        sizes.append(len(batch))
    return W1, W2, float(np.average(losses, weights=sizes))
""",
    },
    {
        "cell": "train_epoch",
        "why": "a while loop over batch starts, summing per-example losses",
        "source": """
def train_epoch(W1, W2, X, activation, lr, batch_size, rng):
    shuffled = X[rng.permutation(X.shape[0])]
    start, summed = 0, 0.0
    while start < len(shuffled):
        Xb = shuffled[start:start + batch_size]
        W1, W2, J = sgd_step(W1, W2, Xb, activation, lr)
        summed += J * Xb.shape[0]
        start += batch_size
    return W1, W2, summed / len(shuffled)
""",
    },
    {
        "cell": "run_grid",
        "why": "itertools.product and a dict comprehension",
        "source": """
import itertools

results = {(activation, n_hidden): fit_autoencoder(X_train, X_test, n_hidden, activation, STEP_SIZE[activation])
           for activation, n_hidden in itertools.product(ACTIVATION_NAMES, HIDDEN_SIZES)}
""",
    },
    {
        "cell": "loss_table",
        "why": "a dict of columns, then .loc to put rows and columns in order",
        "source": """
def loss_table(results, split="test", activations=ACTIVATION_NAMES, sizes=HIDDEN_SIZES):
    columns = {k: {a: results[(a, k)][split] for a in activations} for k in sizes}
    return pd.DataFrame(columns).loc[list(activations), list(sizes)]
""",
    },
    {
        "cell": "loss_table",
        "why": "long records pivoted, then reindexed",
        "source": """
def loss_table(results, split="test", activations=ACTIVATION_NAMES, sizes=HIDDEN_SIZES):
    records = [{"activation": a, "n_hidden": k, "loss": run[split]} for (a, k), run in results.items()]
    wide = pd.DataFrame(records).pivot(index="activation", columns="n_hidden", values="loss")
    return wide.reindex(index=activations, columns=sizes)
""",
    },
]

EXTRA_MUTANTS = [  # checked in-process only
    {
        "cell": "run_grid",
        "find": "lr=STEP_SIZE[activation])",
        "replace": "lr=STEP_SIZE[activation], epochs=EPOCHS - 1)",
        "exercise": "test_grid_hidden",
        "why": "trains one epoch fewer than the notebook's EPOCHS",
    },
    {
        "cell": "run_grid",
        "find": "lr=STEP_SIZE[activation])",
        "replace": "lr=0.005)",
        "exercise": "test_grid_hidden",
        "why": "one step size 0.005 for every activation: tanh's 0.01 is ignored (the trend still holds)",
    },
    {
        "cell": "run_grid",
        "find": "lr=STEP_SIZE[activation])",
        "replace": "lr=STEP_SIZE[activation], batch_size=64)",
        "exercise": "test_grid_hidden",
        "why": "batches of 64 instead of the default 32 (faster, and the trend still holds)",
    },
    {
        "cell": "train_epoch",
        "find": "sgd_step(W1, W2, X[batch], activation, lr)",
        "replace": "sgd_step(W1, W2, X[batch], activation, 0.1)",
        "exercise": "test_train_epoch_hidden",
        "why": "hard-coded step size 0.1 instead of the lr argument",
    },
    {
        "cell": "train_epoch",
        "source": _EPOCH_SHUFFLES_X,
        "exercise": "test_train_epoch_hidden",
        "why": "shuffles the caller's X in place (the same batches, but X_train no longer lines up with y_train)",
    },
]

EXTRA_ALTERNATIVES = [  # checked in-process only
    {
        "cell": "run_grid",
        "why": "one dict update per activation",
        "source": """
results = {}
for activation in ACTIVATION_NAMES:
    lr = STEP_SIZE[activation]
    results.update({(activation, k): fit_autoencoder(X_train, X_test, k, activation, lr=lr) for k in HIDDEN_SIZES})
""",
    },
]
