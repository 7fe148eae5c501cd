"""Minibatch (and single-example) training loops with a history and a progress bar."""
from dataclasses import dataclass, field

import numpy as np
from tqdm.auto import tqdm

from ._checks import check_choice, check_positive
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
            yield order[start:start + batch_size]


def train(model, params, X, T, X_test=None, T_test=None, *, optimizer="sgd", lr=0.01, epochs=10, steps=None,
          batch_size=128, record="epoch", eval_every=None, seed=0, verbose=True, callback=None, **hyper):
    """Train `params` of `model` on inputs X against targets T; returns (params, History).

    model provides corrupt(X, rng) and loss_and_grads(params, X_in, T, return_hidden=True).
    Runs `epochs` passes over the data, or exactly `steps` optimiser steps when given (batch_size=1 gives
    single-example SGD). Records per "epoch" or per "step"; the test loss every `eval_every` steps
    (default: once per epoch). callback(history, params) is called at each record; returning True stops.
    """
    check_choice("record", record, {"epoch": 0, "step": 0})
    check_positive("batch_size", batch_size, integer=True)
    n = X.shape[0]
    per_epoch = -(-n // batch_size)
    total = check_positive("steps", steps, integer=True) if steps is not None else \
        per_epoch * check_positive("epochs", epochs, integer=True)
    eval_every = per_epoch if eval_every is None else check_positive("eval_every", eval_every, integer=True)
    opt = optimizer if isinstance(optimizer, Optimizer) else Optimizer(optimizer, lr=lr, **hyper)
    rng = np.random.default_rng(seed)
    history = History(unit=record)
    window = []  # (loss, sparsity, mean activation) of the batches since the last record
    params = dict(params)
    bar = tqdm(total=total, disable=not verbose, unit="step", desc=f"{opt.name} lr={opt.hyper['lr']:g}")
    with np.errstate(over="ignore", invalid="ignore", divide="ignore"), bar:
        for step, idx in zip(range(1, total + 1), _batches(n, batch_size, rng)):
            X_in = model.corrupt(X[idx], rng)
            value, grads, H = model.loss_and_grads(params, X_in, T[idx], return_hidden=True)
            if not np.isfinite(value):
                raise DivergenceError(
                    f"the training loss became {value} at step {step} (epoch {(step - 1) // per_epoch + 1}); "
                    f"try a smaller step size than lr={opt.hyper['lr']:g}")
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
