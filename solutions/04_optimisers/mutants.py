"""Wrong answers (MUTANTS) and differently written right answers (ALTERNATIVES) for 04_optimisers.

Read by tests/test_pipeline.py (format in tests/pipeline_fixtures/solutions/toy/mutants.py): `cell` is the
grade_id of a solution cell; `find`/`replace` edit the reference answer (markers removed, every occurrence),
`source` replaces the whole cell; `why` says what the mistake or the alternative is. Every mutant must lose
points on the test cell that follows its cell; every alternative must get full marks everywhere.

MUTANTS and ALTERNATIVES go through the kernel round trip (each one is a whole notebook graded by nbgrader);
EXTRA_MUTANTS and EXTRA_ALTERNATIVES are checked in-process only, by tests/test_notebook_04.py, which also
checks the first two lists.
"""

# ---------------------------------------------------------------- whole-cell wrong answers

_MOMENTUM_RESTARTS = """
def momentum(w, dw, state, lr=0.01, mu=0.9):
    v = np.zeros_like(w)  # the ball starts from rest at every call
    v = mu * v - lr * dw
    return w + v, {"v": v}
"""

_MOMENTUM_LATE = """
def momentum(w, dw, state, lr=0.01, mu=0.9):
    v_old = state.get("v", 0.0)
    v = mu * v_old - lr * dw
    return w + v_old, {"v": v}
"""

_MOMENTUM_GLOBAL = """
velocity = {}


def momentum(w, dw, state, lr=0.01, mu=0.9):
    v = mu * velocity.get("v", 0.0) - lr * dw
    velocity["v"] = v
    return w + v, state
"""

_RMSPROP_OLD_S = """
def rmsprop(w, dw, state, lr=0.001, decay=0.9, eps=1e-8):
    s_old = state.get("s", 0.0)
    w_new = w - lr * dw / (np.sqrt(s_old) + eps)
    return w_new, {"s": decay * s_old + (1 - decay) * dw**2}
"""

_ADAM_T_FROM_ZERO = """
def adam(w, dw, state, lr=0.001, beta1=0.9, beta2=0.999, eps=1e-8):
    t = state.get("t", 0)
    m = beta1 * state.get("m", 0.0) + (1 - beta1) * dw
    v = beta2 * state.get("v", 0.0) + (1 - beta2) * dw**2
    m_hat = m / (1 - beta1**t)
    v_hat = v / (1 - beta2**t)
    return w - lr * m_hat / (np.sqrt(v_hat) + eps), {"t": t + 1, "m": m, "v": v}
"""

MUTANTS = [
    # ---- sgd
    {
        "cell": "sgd",
        "find": "return w - lr * dw, state",
        "replace": "return w + lr * dw, state",
        "why": "sign error: steps up the gradient",
    },
    {
        "cell": "sgd",
        "find": "    return w - lr * dw, state",
        "replace": "    return ae.optim.sgd(w, dw, state, lr=lr)",
        "why": "delegates to ae.optim.sgd",
    },
    # ---- momentum
    {
        "cell": "momentum",
        "source": _MOMENTUM_RESTARTS,
        "why": "state not carried over: the velocity restarts from 0 at every step (plain SGD)",
    },
    {
        "cell": "momentum",
        "find": "mu * state",
        "replace": "0.9 * state",
        "why": "hard-coded mu = 0.9 instead of the mu argument (passes the public test, which uses 0.9)",
    },
    # ---- rmsprop
    {
        "cell": "rmsprop",
        "find": 'decay * state.get("s", 0.0) + (1 - decay) * dw**2',
        "replace": '(1 - decay) * state.get("s", 0.0) + decay * dw**2',
        "why": "decay placed on the wrong term: the new gradient gets weight decay, the history 1 - decay",
    },
    {
        "cell": "rmsprop",
        "find": "(np.sqrt(s) + eps)",
        "replace": "np.sqrt(s)",
        "why": "forgets eps: 0 / 0 = NaN for a weight whose gradient is exactly 0 (a dead unit)",
    },
    # ---- adam
    {
        "cell": "adam",
        "find": "lr * m_hat / (np.sqrt(v_hat) + eps)",
        "replace": "lr * m / (np.sqrt(v) + eps)",
        "why": "no bias correction: uses m and v instead of m_hat and v_hat",
    },
    {
        "cell": "adam",
        "find": '{"t": t, "m": m, "v": v}',
        "replace": '{"m": m, "v": v}',
        "why": "t not carried over: every step is corrected as if it were the first (passes the constant-gradient test)",
    },
    {
        "cell": "adam",
        "source": _ADAM_T_FROM_ZERO,
        "why": "off by one: the first step uses t = 0, so 1 - beta**t = 0 and the step is 0 / 0",
    },
    # ---- adagrad
    {
        "cell": "adagrad",
        "find": 'state.get("G", 0.0) + dw**2',
        "replace": "dw**2",
        "why": "no accumulation: divides by |dw| only, a sign-of-gradient step of constant size",
    },
    {
        "cell": "adagrad",
        "find": "+ dw**2",
        "replace": "+ dw",
        "why": "forgets to square: sums raw gradients (the root of a negative sum is NaN)",
    },
]

EXTRA_MUTANTS = [
    # ---- sgd
    {
        "cell": "sgd",
        "find": "    return w - lr * dw, state",
        "replace": "    w -= lr * dw\n    return w, state",
        "why": "updates w in place (w -= lr * dw), changing the caller's array",
    },
    {
        "cell": "sgd",
        "find": "return w - lr * dw, state",
        "replace": "return w - 0.01 * dw, state",
        "why": "hard-coded step size 0.01 instead of the lr argument",
    },
    # ---- momentum
    {"cell": "momentum", "find": "- lr * dw  #", "replace": "+ lr * dw  #", "why": "sign error in the velocity update"},
    {
        "cell": "momentum",
        "source": _MOMENTUM_LATE,
        "why": "moves with the previous velocity, one step late (the first step does not move)",
    },
    {
        "cell": "momentum",
        "source": _MOMENTUM_GLOBAL,
        "why": "keeps the velocity in a global variable, shared by every parameter array",
    },
    # ---- rmsprop
    {
        "cell": "rmsprop",
        "find": "(np.sqrt(s) + eps)",
        "replace": "(s + eps)",
        "why": "divides by the mean square instead of its root",
    },
    {
        "cell": "rmsprop",
        "source": _RMSPROP_OLD_S,
        "why": "steps with the running mean from before this gradient (s_t instead of s_t+1)",
    },
    {
        "cell": "rmsprop",
        "find": 'decay * state.get("s", 0.0)',
        "replace": "decay * 0.0",
        "why": "state not carried over: the running mean restarts at every step",
    },
    # ---- adam
    {
        "cell": "adam",
        "find": 'beta1 * state.get("m", 0.0) + (1 - beta1) * dw',
        "replace": 'beta2 * state.get("m", 0.0) + (1 - beta2) * dw',
        "why": "beta2 used for the first moment",
    },
    {
        "cell": "adam",
        "find": '{"t": t, "m": m, "v": v}',
        "replace": '{"t": t, "m": m_hat, "v": v_hat}',
        "why": "stores the bias-corrected moments in the state, so the correction compounds",
    },
    {
        "cell": "adam",
        "find": "(1 - beta1**t)",
        "replace": "(1 - 0.9**t)",
        "why": "hard-coded beta1 = 0.9 in the bias correction (passes the public test, which uses 0.9)",
    },
    {
        "cell": "adam",
        "find": '    return w - lr * m_hat / (np.sqrt(v_hat) + eps), {"t": t, "m": m, "v": v}',
        "replace": "    return ae.optim.adam(w, dw, state, lr=lr, beta1=beta1, beta2=beta2, eps=eps)",
        "why": "delegates to ae.optim.adam",
    },
    # ---- adagrad
    {
        "cell": "adagrad",
        "find": "(np.sqrt(G) + eps)",
        "replace": "(G + eps)",
        "why": "divides by the sum of squares instead of its root",
    },
    {
        "cell": "adagrad",
        "find": 'state.get("G", 0.0) + dw**2',
        "replace": '0.9 * state.get("G", 0.0) + 0.1 * dw**2',
        "why": "a decaying mean (RMSProp) instead of AdaGrad's growing sum",
    },
    # ---- eps: caught by the tiny-gradient checks with eps=1e-2 (every other check uses the default 1e-8)
    {
        "cell": "rmsprop",
        "find": "(np.sqrt(s) + eps)",
        "replace": "(np.sqrt(s) + 1e-8)",
        "why": "ignores the eps argument: hard-coded 1e-8",
    },
    {
        "cell": "adam",
        "find": "(np.sqrt(v_hat) + eps)",
        "replace": "(np.sqrt(v_hat) + 1e-8)",
        "why": "ignores the eps argument: hard-coded 1e-8",
    },
    {
        "cell": "adagrad",
        "find": "(np.sqrt(G) + eps)",
        "replace": "(np.sqrt(G) + 1e-7)",
        "why": "ignores the eps argument: hard-coded 1e-7 (Keras's default)",
    },
]

ALTERNATIVES = [
    {
        "cell": "momentum",
        "why": "the other common convention: a velocity in gradient units, u = mu u + dw, w - lr u",
        "source": """
def momentum(w, dw, state, lr=0.01, mu=0.9):
    u = mu * state.get("u", np.zeros_like(w)) + dw  # u = -v / lr
    return w - lr * u, {"u": u}
""",
    },
    {
        "cell": "momentum",
        "why": "updates the state dict in place and returns it",
        "source": """
def momentum(w, dw, state, lr=0.01, mu=0.9):
    state["v"] = mu * state.get("v", 0) - lr * dw
    return w + state["v"], state
""",
    },
    {
        "cell": "rmsprop",
        "find": "(np.sqrt(s) + eps)",
        "replace": "np.sqrt(s + eps)",
        "why": "eps inside the square root (as in some libraries): equal within tolerance for these gradients",
    },
    {
        "cell": "adam",
        "why": "Kingma and Ba's 'efficient' ordering with running powers of beta instead of t",
        "source": """
def adam(w, dw, state, lr=0.001, beta1=0.9, beta2=0.999, eps=1e-8):
    b1t = state.get("b1t", 1.0) * beta1  # beta1**t, kept up to date instead of t
    b2t = state.get("b2t", 1.0) * beta2
    m = beta1 * state.get("m", np.zeros_like(w)) + (1 - beta1) * dw
    v = beta2 * state.get("v", np.zeros_like(w)) + (1 - beta2) * dw * dw
    lr_t = lr * np.sqrt(1 - b2t) / (1 - b1t)
    return w - lr_t * m / (np.sqrt(v) + eps), {"m": m, "v": v, "b1t": b1t, "b2t": b2t}
""",
    },
    {
        "cell": "adagrad",
        "why": "accumulates into a copy in place, eps inside the root",
        "source": """
def adagrad(w, dw, state, lr=0.01, eps=1e-8):
    G = state["G"].copy() if "G" in state else np.zeros_like(w)
    G += dw * dw
    return w - lr * dw / np.sqrt(G + eps), {"G": G}
""",
    },
]

EXTRA_ALTERNATIVES = [
    {
        "cell": "sgd",
        "why": "a copy, then an in-place step on the copy",
        "source": """
def sgd(w, dw, state, lr=0.01):
    w_new = np.array(w, dtype=float, copy=True)
    w_new -= lr * dw
    return w_new, state
""",
    },
    {
        "cell": "adagrad",
        "why": "the sum of squares started from the first gradient, the state extended with **",
        "source": """
def adagrad(w, dw, state, lr=0.01, eps=1e-8):
    G = dw * dw if "G" not in state else state["G"] + dw * dw
    return w - lr * dw / (G**0.5 + eps), {**state, "G": G}
""",
    },
    {
        "cell": "sgd",
        "why": "np.subtract, np.multiply and a copy of the state",
        "source": """
def sgd(w, dw, state, lr=0.01):
    return np.subtract(w, np.multiply(lr, dw)), dict(state)
""",
    },
    {
        "cell": "rmsprop",
        "why": "explicit zeros for the first state, np.square and np.divide",
        "source": """
def rmsprop(w, dw, state, lr=0.001, decay=0.9, eps=1e-8):
    s = state["s"] if "s" in state else np.zeros_like(w)
    s = decay * s + (1.0 - decay) * np.square(dw)
    step = np.divide(dw, np.sqrt(s) + eps)
    return w - lr * step, {"s": s}
""",
    },
    {
        "cell": "adam",
        "find": "(np.sqrt(v_hat) + eps)",
        "replace": "np.sqrt(v_hat + eps)",
        "why": "eps inside the square root: equal within tolerance for these gradients",
    },
]
