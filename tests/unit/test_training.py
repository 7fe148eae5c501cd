"""Does training reduce the loss, reproduce bit for bit, record what it promises and fail loudly?"""

import numpy as np
import pytest

import autoencoders as ae


@pytest.fixture
def X():
    rng = np.random.default_rng(0)
    # low-rank data, so a small autoencoder can reconstruct it
    return rng.random((64, 3)) @ rng.random((3, 12))


class LeastSquares:
    """The smallest model train() accepts (the API in the training module's docstring): T ~ X w."""

    def corrupt(self, X, rng):
        return X

    def loss_and_grads(self, params, X_in, T, return_hidden=False):
        residual = X_in @ params["w"] - T  # (B,)
        value = 0.5 * np.mean(residual**2)
        grads = {"w": X_in.T @ residual / len(T)}  # (d,)
        return (value, grads, X_in) if return_hidden else (value, grads)


def test_any_model_with_the_documented_api_trains():
    """Does train() fit a duck-typed model, leaving the caller's dict and arrays alone?"""
    rng = np.random.default_rng(0)
    X = rng.normal(size=(200, 3))
    w_true = np.array([1.0, -2.0, 0.5])
    params = {"w": np.zeros(3)}
    fitted, history = ae.train(
        LeastSquares(),
        params,
        X,
        X @ w_true,
        X_test=X[:20],
        T_test=(X @ w_true)[:20],
        optimizer="sgd",
        lr=0.1,
        epochs=30,
        batch_size=20,
        verbose=False,
    )
    np.testing.assert_allclose(fitted["w"], w_true, atol=1e-3)
    assert np.array_equal(params["w"], np.zeros(3)) and fitted is not params
    assert history.steps[-1] == 300 and len(history.loss) == 30 and len(history.test_loss) == 30
    assert history.test_loss[-1] < 1e-6


def test_an_epoch_ends_with_a_short_batch():
    """With 10 examples in batches of 4, is an epoch 3 steps (4 + 4 + 2)?"""
    X = np.random.default_rng(0).normal(size=(10, 2))
    _, h = ae.train(LeastSquares(), {"w": np.zeros(2)}, X, X[:, 0], lr=0.1, epochs=2, batch_size=4, verbose=False)
    assert h.steps == [3, 6]


def test_same_seed_same_bits_other_seed_differs(X):
    kw = dict(optimizer="sgd", lr=0.1, epochs=3, batch_size=8, verbose=False)

    def make(seed):
        return ae.Autoencoder(5, hidden="relu", noise="masking", noise_level=0.2, seed=seed).fit(X, **kw)

    a, b, c = make(1), make(1), make(2)
    for k in a.params_:
        np.testing.assert_array_equal(a.params_[k], b.params_[k])
    assert a.history_.loss == b.history_.loss
    assert not np.array_equal(a.params_["W1"], c.params_["W1"])


def test_records_per_step_with_sparsity_and_test_loss(X):
    model = ae.Autoencoder(6, hidden="relu", init="normal").fit(
        X, X_test=X[:10], optimizer="sgd", lr=0.05, steps=50, batch_size=1, record="step", eval_every=10, verbose=False
    )
    h = model.history_
    assert h.unit == "step" and h.steps == list(range(1, 51))
    assert len(h.loss) == len(h.sparsity) == len(h.mean_activation) == 50
    assert all(0 <= s <= 1 for s in h.sparsity)
    assert h.test_steps == [10, 20, 30, 40, 50] and len(h.test_loss) == 5
    assert set(h.as_dict()) == {"train", "test"}


def test_sparsity_is_the_fraction_of_nonzero_relu_units(X):
    """With all hidden biases pushed very negative, is every relu unit silent (sparsity 0)?"""
    model = ae.Autoencoder(4, hidden="relu")
    params = model.init_params(X.shape[1])
    params["b1"] -= 100.0
    _, h = ae.train(model, params, X, X, optimizer="sgd", lr=1e-3, epochs=1, verbose=False)
    assert h.sparsity == [0.0] and h.mean_activation == [0.0]


def test_divergence_names_the_step_and_suggests_a_smaller_step(X):
    model = ae.Autoencoder(4, hidden="identity", init="uniform")
    with pytest.raises(ae.DivergenceError, match=r"at step \d+ \(epoch \d+\); try a smaller step size than lr=1e\+06"):
        model.fit(X * 100, optimizer="sgd", lr=1e6, epochs=5, verbose=False)


def test_callback_sees_each_record_and_can_stop(X):
    seen = []

    def callback(history, params):
        seen.append(history.steps[-1])
        return len(seen) == 3

    model = ae.Autoencoder(3).fit(X, epochs=10, batch_size=32, verbose=False, callback=callback)
    assert seen == [2, 4, 6] and len(model.history_.loss) == 3


def test_progress_bar_shows_only_when_verbose(X, capsys):
    ae.Autoencoder(3).fit(X, epochs=2, verbose=False)
    assert capsys.readouterr().err == ""
    ae.Autoencoder(3).fit(X, epochs=2, verbose=True)
    assert "step" in capsys.readouterr().err


@pytest.mark.parametrize(
    "kwargs,message",
    [
        ({"optimizer": "nesterov"}, "optimizer must be one of .*got 'nesterov'"),
        ({"lr": 0}, "lr must be a number > 0, got 0"),
        ({"epochs": 0}, "epochs must be an integer > 0, got 0"),
        ({"steps": 2.5}, "steps must be an integer > 0, got 2.5"),
        ({"batch_size": -1}, "batch_size must be an integer > 0, got -1"),
        ({"eval_every": 0}, "eval_every must be an integer > 0, got 0"),
        ({"record": "batch"}, "record must be one of .*got 'batch'"),
    ],
)
def test_bad_training_settings(X, kwargs, message):
    with pytest.raises(ValueError, match=message):
        ae.train(ae.Autoencoder(2), ae.Autoencoder(2).init_params(X.shape[1]), X, X, verbose=False, **kwargs)
