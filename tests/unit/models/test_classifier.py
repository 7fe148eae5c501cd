"""Tests for autoencoders.models.classifier: backprop through any depth, learning, and label checks."""

import numpy as np
import pytest

import autoencoders as ae


@pytest.mark.parametrize("hidden_sizes", [(), (4,), (4, 3)])
@pytest.mark.parametrize("activation", ["relu", "sigmoid", "tanh"])
def test_classifier_gradients(hidden_sizes, activation):
    """Does the softmax classifier's backprop through any depth match central differences?"""
    rng = np.random.default_rng(3)
    X, y = rng.random((7, 5)), rng.integers(0, 3, 7)
    clf = ae.Classifier(hidden_sizes, activation=activation)
    params = clf.init_params(5, 3)
    errors = ae.check_gradients(lambda p: clf.loss_and_grads(p, X, y), params)
    assert max(errors.values()) < 1e-6, errors


@pytest.mark.parametrize("hidden_sizes, width", [((), 5), ((4,), 4), ((4, 3), 3)])
def test_return_hidden_is_the_last_hidden_layer(hidden_sizes, width):
    """Is the third value of loss_and_grads(..., return_hidden=True) the last hidden layer (X without one)?"""
    rng = np.random.default_rng(0)
    X, y = rng.random((7, 5)), rng.integers(0, 3, 7)
    clf = ae.Classifier(hidden_sizes)
    params = clf.init_params(5, 3)
    value, grads, H = clf.loss_and_grads(params, X, y, return_hidden=True)
    assert H.shape == (7, width) and value == clf.loss_and_grads(params, X, y)[0]
    assert {k: g.shape for k, g in grads.items()} == {k: p.shape for k, p in params.items()}


def test_classifier_learns_a_separable_problem():
    rng = np.random.default_rng(0)
    X = rng.normal(size=(200, 2))
    y = (X[:, 0] + X[:, 1] > 0).astype(int)
    clf = ae.Classifier((8,), activation="tanh").fit(X, y, optimizer="adam", lr=0.05, epochs=30, verbose=False)
    assert clf.score(X, y) > 0.95
    assert list(clf.classes_) == [0, 1]


def test_classifier_labels():
    X = np.random.default_rng(0).random((10, 4))
    with pytest.raises(ValueError, match="y must be 10 non-negative integer labels"):
        ae.Classifier((3,)).fit(X, np.linspace(0, 1, 10), verbose=False)
    with pytest.raises(ValueError, match=r"hidden_sizes\[1\] must be an integer > 0, got 0"):
        ae.Classifier((3, 0)).fit(X, np.zeros(10, int), verbose=False)
