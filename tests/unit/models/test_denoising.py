"""autoencoders.models.denoising: the homework's DenoisingAutoencoder, and training.train_per_example."""

import numpy as np
import pytest

import autoencoders as ae
from autoencoders.models import DenoisingAutoencoder


def closed_form_error(W, b, V, c, X, T):
    """E = sum over rows of ||relu(x W + b) V + c - t||^2, written out."""
    return np.sum((np.maximum(X @ W + b, 0) @ V + c - T) ** 2)


def test_initialisation_follows_the_homework():
    net = DenoisingAutoencoder(seed=1)
    assert net.W.shape == (784, 225) and net.V.shape == (225, 784)
    assert abs(net.W.std() / 0.01 - 1) < 0.02 and abs(net.V.mean()) < 1e-4
    assert np.all(net.b == 0.5) and np.all(net.c == 0)
    small = DenoisingAutoencoder(5, 3, weight_std=0.5, hidden_bias=-1.0, seed=2)
    assert small.W.shape == (5, 3) and np.all(small.b == -1.0)
    assert np.array_equal(DenoisingAutoencoder(5, 3, seed=4).V, DenoisingAutoencoder(5, 3, seed=4).V)
    with pytest.raises(ValueError, match="n_hidden"):
        DenoisingAutoencoder(5, 0)


@pytest.mark.parametrize("batch", [None, 1, 6])
def test_backward_agrees_with_central_differences(batch):
    """Are dW, db, dV, dc the gradients of E = sum ||y - t||^2, for one example (d,) and for a batch?"""
    rng = np.random.default_rng(batch or 0)
    net = DenoisingAutoencoder(6, 4, weight_std=0.7, hidden_bias=0.1, seed=3)
    shape = (6,) if batch is None else (batch, 6)
    X, T = rng.normal(size=shape), rng.normal(size=shape)
    y = net.forward(X)
    assert y.shape == shape
    net.backward(2 * (y - T))
    params = {"W": net.W, "b": net.b, "V": net.V, "c": net.c}
    for name, value in params.items():
        grad = getattr(net, "d" + name)
        num = ae.numerical_gradient(
            lambda P, name=name: closed_form_error(**{**params, name: P}, X=np.atleast_2d(X), T=np.atleast_2d(T)),
            value,
            eps=1e-6,
        )
        assert grad.shape == value.shape and ae.rel_error(grad, num) < 1e-7, name


def test_update_steps_against_the_stored_gradients():
    net = DenoisingAutoencoder(4, 3, seed=0)
    before = {name: getattr(net, name).copy() for name in "WbVc"}
    net.forward(np.ones(4))
    net.backward(np.arange(4.0))
    net.update(0.1)
    for name in "WbVc":
        np.testing.assert_allclose(getattr(net, name), before[name] - 0.1 * getattr(net, "d" + name))
    with pytest.raises(ValueError, match="shape of the last output"):
        net.backward(np.ones(5))


def test_train_per_example_records_every_step_and_denoises():
    """Does the loop record error and sparsity per step, and does a small net learn a low-dimensional set?"""
    rng = np.random.default_rng(0)
    X = 0.3 * rng.normal(size=(200, 2)) @ rng.normal(size=(2, 10))  # points on a plane in 10 dimensions
    net = DenoisingAutoencoder(10, 8, weight_std=0.1, seed=0)
    history = ae.training.train_per_example(net, X, steps=3000, lr=0.01, noise_std=0.3, seed=1, verbose=False)
    assert history["error"].shape == history["sparsity"].shape == (3000,)
    assert np.all((history["sparsity"] >= 0) & (history["sparsity"] <= 1))
    assert history["error"][-300:].mean() < 0.35 * history["error"][:300].mean()  # noise off the plane is removed
    again = ae.training.train_per_example(
        DenoisingAutoencoder(10, 8, weight_std=0.1, seed=0), X, steps=50, lr=0.01, noise_std=0.3, seed=1, verbose=False
    )
    np.testing.assert_array_equal(again["error"], history["error"][:50])


@pytest.mark.parametrize(
    "kw, match",
    [
        ({"steps": 0}, "steps"),
        ({"lr": -1.0}, "lr"),
        ({"noise_std": -0.5}, "noise_std"),
        ({"noise_std": np.nan}, "noise"),
    ],
)
def test_train_per_example_rejects_bad_arguments(kw, match):
    args = {"steps": 10, "lr": 0.01, "noise_std": 1.0, **kw}
    with pytest.raises(ValueError, match=match):
        ae.training.train_per_example(DenoisingAutoencoder(3, 2), np.ones((4, 3)), verbose=False, **args)


def test_train_per_example_stops_on_divergence():
    with pytest.raises(ae.DivergenceError, match="smaller step"):
        ae.training.train_per_example(
            DenoisingAutoencoder(3, 2, weight_std=1.0),
            np.ones((4, 3)) * 10,
            steps=500,
            lr=10.0,
            noise_std=0.0,
            verbose=False,
        )
