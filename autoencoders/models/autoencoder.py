"""`Autoencoder`: one class for every one-hidden-layer variant in the course.

Encoder H = f(X W1^T + b1), decoder X_hat = g(H W2^T + b2), with W1 (k, d) and W2 (d, k);
tied weights use W2 = W1^T. Parameters live in a dict {"W1", "b1", "W2", "b2"} (W2 absent when tied,
biases absent when bias=False), so gradients, optimisers and gradient checks all see them explicitly.
"""

import numpy as np

from .. import activations, losses
from .. import noise as noises
from .._checks import check_array, check_choice, check_positive
from ..layers import dense_backward, dense_forward, init_weight


class Autoencoder:
    """A one-hidden-layer autoencoder: tied or not, biases or not, any activations, loss, penalties and noise."""

    def __init__(
        self,
        n_hidden,
        hidden="sigmoid",
        output="identity",
        loss="sse",
        tied=False,
        bias=True,
        penalties=(),
        noise=None,
        noise_level=0.0,
        init="uniform",
        init_scale=0.01,
        dtype=np.float64,
        seed=0,
    ):
        self.n_hidden = n_hidden
        self.hidden = hidden
        self.output = output
        self.loss = loss
        self.tied = tied
        self.bias = bias
        self.penalties = penalties
        self.noise = noise
        self.noise_level = noise_level
        self.init = init
        self.init_scale = init_scale
        self.dtype = dtype
        self.seed = seed

    # ----- set-up -------------------------------------------------------------------------
    def validate(self):
        """Raise ValueError on any bad setting, before any training starts."""
        check_positive("n_hidden", self.n_hidden, integer=True)
        check_choice("hidden", self.hidden, activations.ACTIVATIONS)
        check_choice("output", self.output, activations.ACTIVATIONS)
        check_choice("loss", self.loss, {k: v for k, v in losses.LOSSES.items() if k != "softmax_ce"})
        check_choice("init", self.init, {"normal": 0, "uniform": 0})
        if self.loss == "bce" and self.output != "sigmoid":
            raise ValueError(f"loss='bce' needs output='sigmoid', got output={self.output!r}")
        for p in self.penalties:
            if getattr(p, "needs_unit_interval", False) and self.hidden != "sigmoid":
                raise ValueError(f"{type(p).__name__} needs hidden='sigmoid', got hidden={self.hidden!r}")
        noises.check_noise(self.noise, self.noise_level)
        return self

    def init_params(self, n_in, rng=None):
        """Fresh parameters for n_in inputs: weights from `init`, biases at 0."""
        self.validate()
        check_positive("n_in", n_in, integer=True)
        rng = np.random.default_rng(self.seed) if rng is None else rng
        k, dt = self.n_hidden, self.dtype
        params = {"W1": init_weight(k, n_in, self.init, rng, dt, self.init_scale)}
        if not self.tied:
            params["W2"] = init_weight(n_in, k, self.init, rng, dt, self.init_scale)
        if self.bias:
            params["b1"] = np.zeros(k, dt)
            params["b2"] = np.zeros(n_in, dt)
        return params

    # ----- maths --------------------------------------------------------------------------
    def decoder_weight(self, params):
        """The decoder weight W2 (d, k) of params: W1.T when tied."""
        return params["W1"].T if self.tied else params["W2"]

    def forward(self, params, X):
        """(X_hat, cache) for inputs X (N, d)."""
        A1, c1 = dense_forward(X, params["W1"], params.get("b1"))  # (N, k)
        H = activations.ACTIVATIONS[self.hidden](A1)
        A2, c2 = dense_forward(H, self.decoder_weight(params), params.get("b2"))  # (N, d)
        X_hat = activations.ACTIVATIONS[self.output](A2)
        return X_hat, (A1, H, c1, A2, X_hat, c2)

    def loss_and_grads(self, params, X, target=None, return_hidden=False):
        """Objective (loss + penalties) on inputs X (N, d) against target (default X), and its gradients.

        Returns (value, grads), or (value, grads, H) with the hidden codes H (N, k) when return_hidden=True;
        grads has the keys and shapes of params.
        """
        target = X if target is None else target
        X_hat, (A1, H, c1, A2, _, c2) = self.forward(params, X)
        if self.loss == "bce":  # fused sigmoid + cross-entropy: stable, gradient w.r.t. the logits
            value, dA2 = losses.binary_cross_entropy_with_logits(A2, target)  # dA2: (N, d)
        else:
            value, dX_hat = losses.LOSSES[self.loss](X_hat, target)
            dA2 = activations.backward(self.output, dX_hat, A2, X_hat)
        dH, dW_dec, db2 = dense_backward(dA2, c2)  # (N, k), (d, k), (d,)
        grads = {}
        for penalty in self.penalties:
            p_value, p_dH, p_dparams = penalty(params, H)
            value += p_value
            if p_dH is not None:
                dH = dH + p_dH
            for name, g in p_dparams.items():
                grads[name] = grads.get(name, 0) + g
        dA1 = activations.backward(self.hidden, dH, A1, H)  # (N, k)
        _, dW1, db1 = dense_backward(dA1, c1, need_dX=False)  # (k, d), (k,)
        if self.tied:  # W1 is used twice: as the encoder and, transposed, as the decoder
            grads["W1"] = grads.get("W1", 0) + dW1 + dW_dec.T
        else:
            grads["W1"] = grads.get("W1", 0) + dW1
            grads["W2"] = grads.get("W2", 0) + dW_dec
        if self.bias:
            grads["b1"], grads["b2"] = db1, db2
        return (value, grads, H) if return_hidden else (value, grads)

    def corrupt(self, X, rng):
        """The noisy input a denoising autoencoder trains on (X itself without noise)."""
        return noises.corrupt(X, self.noise, self.noise_level, rng)

    # ----- scikit-learn style -------------------------------------------------------------
    def fit(self, X, X_test=None, params=None, solver="minibatch", maxiter=400, **train_kw):
        """Train on X (N, d); returns self with params_ and history_ set.

        solver="minibatch" (the default) runs `training.train` with train_kw (optimizer, lr, epochs, ...);
        solver="lbfgs" runs full-batch L-BFGS (`optim.quasi_newton.lbfgs`, scipy's L-BFGS-B on the flattened
        parameters) for at most maxiter iterations, records the objective and the mean hidden activation after
        every iteration (history_.unit == "iteration"), and keeps scipy's OptimizeResult as result_. L-BFGS
        takes no train_kw and no noise: it minimises one fixed objective.
        """
        from ..training import History, train

        self.validate()
        check_choice("solver", solver, {"minibatch": 0, "lbfgs": 0})
        X = check_array("X", X, dtype=self.dtype)
        if X_test is not None:
            X_test = check_array("X_test", X_test, n_features=X.shape[1], dtype=self.dtype)
        params = self.init_params(X.shape[1]) if params is None else params
        if solver == "minibatch":
            self.params_, self.history_ = train(self, params, X, X, X_test, X_test, **train_kw)
            return self
        if train_kw:
            raise ValueError(f"solver='lbfgs' takes no training options, got {sorted(train_kw)}")
        if self.noise is not None and self.noise_level > 0:
            raise ValueError("solver='lbfgs' minimises a fixed objective: it cannot train with input noise")
        from ..optim.quasi_newton import lbfgs

        history, last = History(unit="iteration"), {}

        def objective(p):
            value, grads, H = self.loss_and_grads(p, X, return_hidden=True)
            last["params"], last["value"], last["H"] = p, float(value), H
            return value, grads

        def record(p):  # after each iteration, at the accepted point (usually scipy's last evaluation)
            if any(not np.array_equal(p[k], last["params"][k]) for k in p):
                objective(p)
            history.steps.append(len(history.steps) + 1)
            history.loss.append(last["value"])
            history.sparsity.append(float(np.count_nonzero(last["H"]) / last["H"].size))
            history.mean_activation.append(float(last["H"].mean()))
            if X_test is not None:
                history.test_steps.append(history.steps[-1])
                history.test_loss.append(float(self.loss_and_grads(p, X_test)[0]))

        self.params_, self.result_ = lbfgs(objective, params, maxiter=maxiter, callback=record)
        self.history_ = history
        return self

    def _fitted(self):
        if not hasattr(self, "params_"):
            raise RuntimeError("this Autoencoder is not fitted yet: call fit(X) first")
        return self.params_

    def encode(self, X):
        """Hidden codes H (N, k)."""
        params = self._fitted()
        X = check_array("X", X, n_features=params["W1"].shape[1], dtype=self.dtype)
        A1, _ = dense_forward(X, params["W1"], params.get("b1"))
        return activations.ACTIVATIONS[self.hidden](A1)

    def decode(self, H):
        """Reconstructions (N, d) from codes H (N, k)."""
        params = self._fitted()
        H = check_array("H", H, n_features=self.n_hidden, dtype=self.dtype)
        A2, _ = dense_forward(H, self.decoder_weight(params), params.get("b2"))
        return activations.ACTIVATIONS[self.output](A2)

    def reconstruct(self, X):
        """decode(encode(X))."""
        return self.decode(self.encode(X))

    transform = encode
    inverse_transform = decode

    def score(self, X, target=None):
        """The training objective on X without noise (lower is better)."""
        X = check_array("X", X, dtype=self.dtype)
        return self.loss_and_grads(self._fitted(), X, target)[0]
