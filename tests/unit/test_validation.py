"""Does bad input raise a ValueError naming the argument and the value, before any training?"""
import numpy as np
import pytest

import autoencoders as ae
from autoencoders import penalties

X = np.random.default_rng(0).random((10, 4))


@pytest.mark.parametrize("kwargs,message", [
    ({"n_hidden": 0}, "n_hidden must be an integer > 0, got 0"),
    ({"n_hidden": -3}, "n_hidden must be an integer > 0, got -3"),
    ({"n_hidden": 2.5}, "n_hidden must be an integer > 0, got 2.5"),
    ({"n_hidden": 3, "hidden": "swish"}, "hidden must be one of .*got 'swish'"),
    ({"n_hidden": 3, "output": "step"}, "output must be one of .*got 'step'"),
    ({"n_hidden": 3, "loss": "hinge"}, "loss must be one of .*got 'hinge'"),
    ({"n_hidden": 3, "loss": "bce", "output": "identity"}, "loss='bce' needs output='sigmoid'"),
    ({"n_hidden": 3, "noise": "speckle"}, "noise must be one of .*got 'speckle'"),
    ({"n_hidden": 3, "noise": "masking", "noise_level": 1.5}, r"noise_level must lie in \[0, 1\].*got 1.5"),
    ({"n_hidden": 3, "init": "zeros"}, "init must be one of .*got 'zeros'"),
    ({"n_hidden": 3, "hidden": "relu", "penalties": [penalties.KLSparsity()]}, "KLSparsity needs hidden='sigmoid'"),
])
def test_bad_model_settings(kwargs, message):
    with pytest.raises(ValueError, match=message):
        ae.Autoencoder(**kwargs).fit(X, epochs=1, verbose=False)


@pytest.mark.parametrize("rho", [0, 1, -0.1, 1.2])
def test_rho_outside_the_open_unit_interval(rho):
    with pytest.raises(ValueError, match=rf"rho must lie in the open interval \(0, 1\), got {rho}"):
        penalties.KLSparsity(rho=rho)


@pytest.mark.parametrize("data,message", [
    (np.ones(4), r"X must be a 2-D array .*got shape \(4,\)"),
    (np.ones((0, 4)), r"X must not be empty, got shape \(0, 4\)"),
    (np.array([[1.0, np.nan]]), "X contains NaN or inf"),
    (np.array([[1.0, np.inf]]), "X contains NaN or inf"),
    (np.array([["a", "b"]]), "X must be numeric"),
])
def test_bad_data(data, message):
    with pytest.raises(ValueError, match=message):
        ae.Autoencoder(2).fit(data, epochs=1, verbose=False)


def test_test_set_with_the_wrong_width():
    with pytest.raises(ValueError, match=r"X_test must have 4 features .*got shape \(3, 5\)"):
        ae.Autoencoder(2).fit(X, X_test=np.ones((3, 5)), epochs=1, verbose=False)


@pytest.mark.parametrize("kwargs,message", [
    ({"optimizer": "nesterov"}, "optimizer must be one of .*got 'nesterov'"),
    ({"lr": 0}, "lr must be a number > 0, got 0"),
    ({"epochs": 0}, "epochs must be an integer > 0, got 0"),
    ({"batch_size": -1}, "batch_size must be an integer > 0, got -1"),
    ({"record": "batch"}, "record must be one of .*got 'batch'"),
])
def test_bad_training_settings(kwargs, message):
    with pytest.raises(ValueError, match=message):
        ae.Autoencoder(2).fit(X, verbose=False, **kwargs)


def test_using_an_unfitted_model():
    with pytest.raises(RuntimeError, match="not fitted yet"):
        ae.Autoencoder(2).encode(X)


def test_encode_checks_the_width():
    model = ae.Autoencoder(2).fit(X, epochs=1, verbose=False)
    with pytest.raises(ValueError, match=r"X must have 4 features"):
        model.encode(np.ones((2, 3)))


def test_classifier_labels():
    with pytest.raises(ValueError, match="y must be 10 non-negative integer labels"):
        ae.Classifier((3,)).fit(X, np.linspace(0, 1, 10), verbose=False)
