"""Minibatch (and single-example) training loops with a history and a progress bar.

`train(model, params, X, T, ...)` runs an optimiser over shuffled minibatches of (X, T) and returns the
trained parameters and a `History`. The parameters live outside the model, in a dict {name: array}; the model
only computes. X (N, d) and T (N, ...) are numpy arrays whose rows are examples; a minibatch is X[idx], T[idx]
for an index array idx of B rows. Any object with the two methods below can be trained; `Autoencoder` and
`Classifier` are two.

- model.corrupt(X, rng) -> X_in
    Inputs:  X, one minibatch of inputs (B, d); rng, the loop's numpy Generator (seeded by `seed`), from
             which any noise must be drawn so that runs are reproducible.
    Returns: X_in (B, d), what the model sees for this minibatch: X itself for a plain model, a noisy copy
             for a denoising autoencoder. X must not be changed in place.

- model.loss_and_grads(params, X_in, T, return_hidden=False) -> (value, grads) or (value, grads, H)
    Inputs:  params, the dict being trained; X_in (B, d) from corrupt; T, the targets of the same B examples
             (rows of the T passed to train: (B, d) clean inputs for an autoencoder, (B,) integer labels for a
             classifier); return_hidden, whether to return hidden activations too.
    Returns: value, the objective on the batch as a scalar (train records it, and raises DivergenceError
             when it is NaN or infinite); grads, a dict whose keys are keys of params and whose arrays have
             their shapes (only the parameters in grads are updated); and with return_hidden=True
             H (B, k), the hidden activations, from which train records the fraction of non-zero entries
             and their mean.
    train calls it with return_hidden=True on every training minibatch, and as
    loss_and_grads(params, X_test, T_test)[0] for the test loss.

The caller's dict is not changed: train updates a shallow copy, and the package's rules return new arrays.

`train_per_example(net, X, ...)` is the other loop: single-example SGD on an object that keeps its own
parameters (forward, backward, update), as in notebook 05's homework.
"""

from dataclasses import dataclass, field

import numpy as np
from tqdm.auto import tqdm

from ._checks import check_choice, check_int, check_positive, n_batches
from .optim import Optimizer


class DivergenceError(FloatingPointError):
    """The training loss became NaN or infinite."""


@dataclass
class History:
    """What a training run recorded, per `unit` ("epoch" or "step")."""

    unit: str = "epoch"
    steps: list = field(default_factory=list)  # optimiser step at each record
    loss: list = field(default_factory=list)  # training objective (mean over the record's batches)
    sparsity: list = field(default_factory=list)  # fraction of non-zero hidden activations
    mean_activation: list = field(default_factory=list)  # mean hidden activation
    test_steps: list = field(default_factory=list)
    test_loss: list = field(default_factory=list)

    def as_xy(self):
        """Curves by name as (steps, values) pairs: {"train": (steps, loss), "test": (test_steps, test_loss)}."""
        curves = {"train": (self.steps, self.loss)}
        if self.test_loss:
            curves["test"] = (self.test_steps, self.test_loss)
        return curves

    def as_dict(self):
        """Curves by name: {"train": loss, "test": test_loss} (test only when recorded)."""
        return {name: values for name, (_, values) in self.as_xy().items()}


def _batches(n, batch_size, rng):
    """Endless shuffled minibatch indices, one fresh permutation per pass over the data."""
    while True:
        order = rng.permutation(n)
        for start in range(0, n, batch_size):
            yield order[start : start + batch_size]


def train(
    model,
    params,
    X,
    T,
    X_test=None,
    T_test=None,
    *,
    optimizer="sgd",
    lr=0.01,
    epochs=10,
    steps=None,
    batch_size=128,
    record="epoch",
    eval_every=None,
    seed=0,
    verbose=True,
    callback=None,
    **hyper,
):
    """Train `params` of `model` on inputs X (N, d) against targets T (N rows); returns (params, History).

    model provides corrupt(X, rng) and loss_and_grads(params, X_in, T, return_hidden=...) as described in
    the module docstring. Runs `epochs` passes over the data, or exactly `steps` optimiser steps when given
    (batch_size=1 gives single-example SGD). Records per "epoch" or per "step"; the test loss on
    (X_test, T_test) every `eval_every` steps (default: once per epoch). callback(history, params) is called
    at each record; returning True stops.

    optimizer: a name from optim.RULES (built as Optimizer(optimizer, lr=lr, **hyper)), your own update rule
    rule(w, dw, state, **hyper) -> (w, state) (built as Optimizer(rule=optimizer, lr=lr, **hyper)), or an
    Optimizer, used as it is (lr and hyper are then not used).
    """
    check_choice("record", record, {"epoch": 0, "step": 0})
    check_positive("batch_size", batch_size, integer=True)
    n = X.shape[0]
    per_epoch = n_batches(n, batch_size)  # the last batch of an epoch may be short
    total = (
        check_positive("steps", steps, integer=True)
        if steps is not None
        else per_epoch * check_positive("epochs", epochs, integer=True)
    )
    eval_every = per_epoch if eval_every is None else check_positive("eval_every", eval_every, integer=True)
    if isinstance(optimizer, Optimizer):
        opt = optimizer
    elif callable(optimizer):
        opt = Optimizer(rule=optimizer, lr=lr, **hyper)
    else:
        opt = Optimizer(optimizer, lr=lr, **hyper)
    rng = np.random.default_rng(seed)
    history = History(unit=record)
    window = []  # (loss, sparsity, mean activation) of the batches since the last record
    params = dict(params)
    bar = tqdm(total=total, disable=not verbose, unit="step", desc=f"{opt.name} lr={opt.hyper['lr']:g}")
    with np.errstate(over="ignore", invalid="ignore", divide="ignore"), bar:
        for step, idx in zip(range(1, total + 1), _batches(n, batch_size, rng)):
            X_in = model.corrupt(X[idx], rng)  # (B, d)
            value, grads, H = model.loss_and_grads(params, X_in, T[idx], return_hidden=True)  # H: (B, k)
            if not np.isfinite(value):
                raise DivergenceError(
                    f"the training loss became {value} at step {step} (epoch {(step - 1) // per_epoch + 1}); "
                    f"try a smaller step size than lr={opt.hyper['lr']:g}"
                )
            opt.step(params, grads)
            window.append((value, np.count_nonzero(H) / H.size, H.mean()))
            bar.update()
            if record == "step" or step % per_epoch == 0 or step == total:
                loss, sparsity, mean_act = np.mean(window, axis=0)
                window.clear()
                history.steps.append(step)
                history.loss.append(float(loss))
                history.sparsity.append(float(sparsity))
                history.mean_activation.append(float(mean_act))
            if X_test is not None and (step % eval_every == 0 or step == total):
                history.test_steps.append(step)
                history.test_loss.append(float(model.loss_and_grads(params, X_test, T_test)[0]))
            if record == "epoch" and (step % per_epoch == 0 or step == total):
                bar.set_postfix(loss=f"{history.loss[-1]:.4g}")
            recorded = history.steps and history.steps[-1] == step
            if callback is not None and recorded and callback(history, params):
                break
    return params, history


def train_per_example(net, X, *, steps, lr, noise_std, seed=0, verbose=True):
    """`steps` single-example SGD steps on `net`, each on a random row x of X (N, d) with Gaussian input noise.

    Each step: x_in = x + N(0, noise_std^2) noise; y = net.forward(x_in); E = ||y - x||^2 (the clean x is the
    target); net.backward(2 (y - x)); net.update(lr). net.forward must store its hidden activations as net.h.
    Returns {"error": E, "sparsity": fraction of non-zero entries of net.h}, one float64 array of `steps`
    values each, recorded at every step.
    """
    steps = check_int("steps", steps, minimum=1)
    check_positive("lr", lr)
    if not np.isfinite(noise_std) or noise_std < 0:
        raise ValueError(f"noise_std must be a number >= 0, got {noise_std!r}")
    X = np.asarray(X, dtype=np.float64)
    if X.ndim != 2 or X.shape[0] == 0:
        raise ValueError(f"X must be a non-empty 2-D array (N, d), got shape {X.shape}")
    rng = np.random.default_rng(seed)
    error, sparsity = np.empty(steps), np.empty(steps)
    bar = tqdm(total=steps, disable=not verbose, unit="step", desc=f"SGD lr={lr:g}", mininterval=0.5)
    with bar:
        for t in range(steps):
            x = X[rng.integers(X.shape[0])]  # drawn step by step: a longer run starts with the same steps
            y = net.forward(x + rng.normal(0.0, noise_std, size=x.shape))
            e = np.asarray(y, dtype=np.float64) - x
            error[t] = e @ e
            if not np.isfinite(error[t]):
                raise DivergenceError(f"the error became {error[t]} at step {t + 1}; try a smaller step than lr={lr:g}")
            net.backward(2.0 * e)
            net.update(lr)
            sparsity[t] = np.count_nonzero(net.h) / np.size(net.h)
            bar.update()
    return {"error": error, "sparsity": sparsity}
