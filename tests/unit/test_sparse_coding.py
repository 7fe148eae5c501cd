"""autoencoders.sparse_coding: closed forms, finite differences, the lasso's optimality conditions, the loops."""

import numpy as np
import pytest

from autoencoders import sparse_coding as sc
from autoencoders.gradcheck import numerical_gradient, rel_error


@pytest.fixture
def problem():
    """An overcomplete problem: X (12, 5), W (5, 8), codes S (12, 8) with no entry near 0."""
    rng = np.random.default_rng(0)
    X = rng.normal(size=(12, 5))
    W = rng.normal(size=(5, 8)) / np.sqrt(5)
    S = rng.choice([-1.0, 1.0], size=(12, 8)) * rng.uniform(0.2, 1.0, size=(12, 8))
    return X, W, S


def optimality_gap(X, W, S, lam):
    """How far S is from the lasso's optimality conditions (0 at the solution).

    With c = 2 W^T (x - W s): c_j = lam sign(s_j) where s_j != 0, and |c_j| <= lam where s_j = 0.
    """
    c = 2 * (X - S @ W.T) @ W
    on = S != 0
    return max(
        np.max(np.abs(c[on] - lam * np.sign(S[on])), initial=0.0),
        np.max(np.abs(c[~on]) - lam, initial=0.0),
    )


# ---------------------------------------------------------------- soft thresholding


def test_soft_threshold_closed_form():
    """Does soft thresholding shrink towards 0 by t and zero what lies within t?"""
    Z = np.array([[-3.0, -0.5, 0.0], [0.2, 0.5, 2.5]])
    Z_before = Z.copy()
    np.testing.assert_allclose(sc.soft_threshold(Z, 0.5), [[-2.5, 0.0, 0.0], [0.0, 0.0, 2.0]])
    np.testing.assert_array_equal(Z, Z_before)
    np.testing.assert_allclose(sc.soft_threshold(Z, 0.0), Z)
    np.testing.assert_allclose(sc.nonnegative_soft_threshold(Z, 0.5), [[0.0, 0.0, 0.0], [0.0, 0.0, 2.0]])


@pytest.mark.parametrize("t", [0.0, 0.3, 1.7])
def test_soft_threshold_is_the_proximal_map_of_the_l1_norm(t):
    """Does soft_threshold(z, t) minimise (u - z)^2 / 2 + t |u| (and the non-negative one with u >= 0)?"""
    grid = np.linspace(-5, 5, 200001)  # steps of 5e-5
    for z in [-2.3, -0.2, 0.0, 0.1, 1.0, 4.0]:
        cost = 0.5 * (grid - z) ** 2 + t * np.abs(grid)
        assert sc.soft_threshold(np.array(z), t) == pytest.approx(grid[np.argmin(cost)], abs=1e-4)
        cost[grid < 0] = np.inf
        assert sc.nonnegative_soft_threshold(np.array(z), t) == pytest.approx(grid[np.argmin(cost)], abs=1e-4)


# ---------------------------------------------------------------- the objective and its gradients


def test_objective_closed_form():
    """Is E = eta ||W||^2 + ||X - S W^T||^2 + lam sum |S|, a sum over examples?"""
    X = np.array([[1.0, 2.0], [0.0, -1.0]])
    W = np.array([[1.0, 0.0, 1.0], [0.0, 1.0, 1.0]])
    S = np.array([[1.0, 0.0, 0.5], [0.0, -2.0, 0.0]])
    # X_hat = [[1.5, 0.5], [0, -2]]: squared residuals 0.25 + 2.25 + 0 + 1; |S| sums to 3.5; ||W||^2 = 4
    assert sc.objective(X, W, S, lam=0.5, eta=0.1) == pytest.approx(0.4 + 3.5 + 1.75)
    assert sc.objective(X, W, S, lam=0.0) == pytest.approx(3.5)
    doubled = sc.objective(np.vstack([X, X]), W, np.vstack([S, S]), lam=0.5, eta=0.0)
    assert doubled == pytest.approx(2 * sc.objective(X, W, S, lam=0.5, eta=0.0))
    assert isinstance(sc.objective(X, W, S, 0.5, 0.1), float)


def test_code_gradient_matches_central_differences(problem):
    X, W, S = problem
    numerical = numerical_gradient(lambda S_: sc.objective(X, W, S_, lam=0.0), S)
    assert sc.code_gradient(X, W, S).shape == S.shape
    assert rel_error(sc.code_gradient(X, W, S), numerical) < 1e-8


def test_full_code_gradient_away_from_zero(problem):
    """Away from s = 0, dE/dS is the smooth gradient plus lam sign(S)."""
    X, W, S = problem
    numerical = numerical_gradient(lambda S_: sc.objective(X, W, S_, lam=0.7), S)
    assert rel_error(sc.code_gradient(X, W, S) + 0.7 * np.sign(S), numerical) < 1e-8


@pytest.mark.parametrize("eta", [0.0, 0.3])
def test_dictionary_gradient_matches_central_differences(problem, eta):
    X, W, S = problem
    numerical = numerical_gradient(lambda W_: sc.objective(X, W_, S, lam=0.7, eta=eta), W)
    grad = sc.dictionary_gradient(X, W, S, eta)
    assert grad.shape == W.shape
    assert rel_error(grad, numerical) < 1e-8
    # the sum of outer products -2 (x_i - W s_i) s_i^T, written out
    outer = 2 * eta * W - 2 * sum(np.outer(x - W @ s, s) for x, s in zip(X, S))
    np.testing.assert_allclose(grad, outer, rtol=1e-12, atol=1e-12)


# ---------------------------------------------------------------- ISTA


def test_ista_with_an_orthonormal_dictionary_is_soft_thresholding():
    """With W^T W = I the lasso decouples: S = soft_threshold(X W, lam / 2), which ISTA reaches in one step."""
    rng = np.random.default_rng(1)
    W, _ = np.linalg.qr(rng.normal(size=(6, 6)))
    X = rng.normal(size=(10, 6))
    expected = sc.soft_threshold(X @ W, 0.4 / 2)
    assert sc.lipschitz_step(W) == pytest.approx(0.5)
    np.testing.assert_allclose(sc.ista(X, W, 0.4, n_steps=1), expected, atol=1e-12)
    np.testing.assert_allclose(sc.ista(X, W, 0.4, n_steps=20), expected, atol=1e-12)
    assert optimality_gap(X, W, expected, 0.4) < 1e-12


def test_ista_descends_and_reaches_the_lasso_solution(problem):
    X, W, _ = problem
    trace = []
    S = sc.ista(X, W, 0.5, n_steps=5000, trace=trace)
    assert len(trace) == 5000
    assert np.all(np.diff(trace) <= 1e-12 * trace[0]), "ISTA at step 1/L went uphill"
    assert optimality_gap(X, W, S, 0.5) < 1e-6
    assert 0 < np.mean(S == 0) < 1  # some exact zeros, not all
    assert trace[-1] == pytest.approx(sc.objective(X, W, S, 0.5))


def test_ista_step_is_a_gradient_step_then_the_prox(problem):
    X, W, S = problem
    step, lam = 0.05, 0.3
    expected = sc.soft_threshold(S - step * sc.code_gradient(X, W, S), step * lam)
    np.testing.assert_allclose(sc.ista_step(X, W, S, lam, step), expected)
    np.testing.assert_allclose(
        sc.ista_step(X, W, S, lam, step, prox=sc.nonnegative_soft_threshold),
        np.maximum(S - step * sc.code_gradient(X, W, S) - step * lam, 0),
    )
    shifted = sc.ista_step(X, W, S, lam, step, grad=lambda X, W, S: np.ones_like(S), prox=lambda Z, t: Z + t)
    np.testing.assert_allclose(shifted, S - step + step * lam)


def test_ista_uses_the_update_it_is_given(problem):
    X, W, _ = problem
    calls = []

    def update(X, W, S, lam, step):
        calls.append((lam, step))
        return sc.ista_step(X, W, S, lam, step)

    S = sc.ista(X, W, 0.5, n_steps=7, step=0.01, update=update)
    assert calls == [(0.5, 0.01)] * 7
    np.testing.assert_allclose(S, sc.ista(X, W, 0.5, n_steps=7, step=0.01))


def test_split_dictionary_turns_signed_codes_into_non_negative_ones(problem):
    """On [W, -W], non-negative codes have the objective of the signed codes, and the lasso minima agree."""
    X, W, S = problem
    D, S2 = sc.split_dictionary(W), sc.split_codes(S)
    assert D.shape == (5, 16) and S2.shape == (12, 16) and np.all(S2 >= 0)
    np.testing.assert_array_equal(sc.merge_codes(S2), S)
    assert sc.objective(X, D, S2, 0.5) == pytest.approx(sc.objective(X, W, S, 0.5))
    signed = sc.ista(X, W, 0.5, n_steps=5000)
    non_negative = sc.ista(X, D, 0.5, n_steps=5000, prox=sc.nonnegative_soft_threshold)
    assert np.all(non_negative >= 0)
    assert sc.objective(X, D, non_negative, 0.5) == pytest.approx(sc.objective(X, W, signed, 0.5), rel=1e-6)


def test_lam_must_not_be_negative(problem):
    X, W, _ = problem
    with pytest.raises(ValueError, match="lam must be a number >= 0"):
        sc.ista(X, W, -0.1)


# ---------------------------------------------------------------- dictionary learning


def test_dictionary_step_descends(problem):
    X, W, S = problem
    before = sc.objective(X, W, S, 0.5, eta=0.2)
    W1 = sc.dictionary_step(X, W, S, 0.2, n_steps=1)
    W50 = sc.dictionary_step(X, W, S, 0.2, n_steps=200)
    assert sc.objective(X, W1, S, 0.5, eta=0.2) < before
    # many steps reach the minimiser of the quadratic in W: W = X^T S (S^T S + eta I)^-1
    exact = np.linalg.solve(S.T @ S + 0.2 * np.eye(8), S.T @ X).T
    np.testing.assert_allclose(W50, exact, atol=1e-6)


def test_learn_dictionary_lowers_the_objective_every_outer_step():
    rng = np.random.default_rng(2)
    atoms = rng.normal(size=(10, 15))
    codes = rng.normal(size=(200, 15)) * (rng.random((200, 15)) < 0.2)  # 20 % of the atoms per example
    X = codes @ atoms.T + 0.01 * rng.normal(size=(200, 10))
    W0 = sc.initial_dictionary(X, 15, seed=0)
    assert W0.shape == (10, 15)
    np.testing.assert_allclose(np.linalg.norm(W0, axis=0), 1.0)
    trace = []
    W, S = sc.learn_dictionary(X, W0, lam=0.1, eta=0.5, n_outer=30, n_inner=10, trace=trace)
    assert W.shape == (10, 15) and S.shape == (200, 15) and len(trace) == 30
    assert np.all(np.diff(trace) <= 1e-12 * trace[0])
    assert trace[-1] < 0.5 * sc.objective(X, W0, np.zeros((200, 15)), 0.1, 0.5)


def test_learn_dictionary_runs_the_functions_it_is_given(problem):
    X, W, _ = problem
    counts = {"update": 0, "gradient": 0}

    def update(X, W, S, lam, step):
        counts["update"] += 1
        return sc.ista_step(X, W, S, lam, step)

    def gradient(X, W, S, eta):
        counts["gradient"] += 1
        return sc.dictionary_gradient(X, W, S, eta)

    ours = sc.learn_dictionary(X, W, 0.5, 0.1, n_outer=4, n_inner=3, w_steps=2, update=update, gradient=gradient)
    assert counts == {"update": 12, "gradient": 8}
    theirs = sc.learn_dictionary(X, W, 0.5, 0.1, n_outer=4, n_inner=3, w_steps=2)
    np.testing.assert_allclose(ours[0], theirs[0])
    np.testing.assert_allclose(ours[1], theirs[1])


# ---------------------------------------------------------------- the reparameterisation


def test_reparam_gradient_matches_central_differences(problem):
    X, W, S = problem
    R = S  # any R: the codes are R * R

    def energy(R_):
        return sc.objective(X, W, R_ * R_, lam=0.6)  # lam sum |r^2| = lam ||R||^2

    numerical = numerical_gradient(energy, R)
    assert rel_error(sc.reparam_gradient(X, W, R, 0.6), numerical) < 1e-8
    np.testing.assert_array_equal(sc.reparam_gradient(X, W, np.zeros_like(R), 0.6), 0.0)  # R = 0 is stationary


def test_reparam_descent_approaches_the_non_negative_lasso(problem):
    X, W, _ = problem
    lam = 0.5
    best = sc.objective(X, W, sc.ista(X, W, lam, 5000, prox=sc.nonnegative_soft_threshold), lam)
    trace = []
    R = sc.reparam_descent(X, W, lam, 3000, 0.2 * sc.lipschitz_step(W), np.full((12, 8), 0.5), trace=trace)
    assert trace[-1] == pytest.approx(sc.objective(X, W, R * R, lam))
    assert np.all(np.diff(trace) <= 1e-9 * trace[0])
    assert best <= trace[-1] < best * 1.01


# ---------------------------------------------------------------- the amortised encoder


def _softplus(A):
    return np.logaddexp(0, A)


def _sigmoid(A):
    return 1 / (1 + np.exp(-A))


@pytest.mark.parametrize("name", ["square", "relu", "softplus"])
def test_encoder_gradient_matches_central_differences(problem, name):
    X, W, _ = problem
    g, g_prime = sc.ENCODER_ACTIVATIONS.get(name, (_softplus, _sigmoid))
    rng = np.random.default_rng(3)
    V = rng.normal(size=(5, 8))
    while name == "relu" and np.min(np.abs(X @ V)) < 1e-3:  # keep every pre-activation away from the kink
        V = rng.normal(size=(5, 8))

    def energy(V_):
        return sc.objective(X, W, sc.encode(X, V_, g), lam=0.4)

    numerical = numerical_gradient(energy, V, eps=1e-6)
    grad = sc.encoder_gradient(X, W, V, 0.4, g, g_prime)
    assert grad.shape == V.shape
    assert rel_error(grad, numerical) < 1e-7


def test_square_encoder_codes_x_and_minus_x_alike(problem):
    X, _, _ = problem
    V = np.random.default_rng(4).normal(size=(5, 8))
    np.testing.assert_allclose(sc.encode(X, V), sc.encode(-X, V))
    assert np.all(sc.encode(X, V, sc.relu) >= 0)


def test_train_encoder_lowers_the_objective_and_runs_the_gradient_it_is_given(problem):
    X, W, _ = problem
    V0 = 0.1 * np.random.default_rng(5).normal(size=(5, 8))
    calls = []

    def gradient(X, W, V, lam, g, g_prime):
        calls.append(X.shape)
        return sc.encoder_gradient(X, W, V, lam, g, g_prime)

    trace = []
    V = sc.train_encoder(X, W, 0.1, sc.relu, sc.relu_derivative, V0, n_steps=300, lr=1e-2, batch_size=6, seed=0,
                         gradient=gradient, trace=trace)  # fmt: skip
    assert calls == [(6, 5)] * 300 and len(trace) == 300
    before = sc.objective(X, W, sc.encode(X, V0, sc.relu), 0.1)
    assert sc.objective(X, W, sc.encode(X, V, sc.relu), 0.1) < 0.9 * before
    again = sc.train_encoder(X, W, 0.1, sc.relu, sc.relu_derivative, V0, n_steps=300, lr=1e-2, batch_size=6, seed=0)
    np.testing.assert_array_equal(V, again)  # seeded


def test_active_fraction():
    S = np.array([[0.0, 1e-4, -0.5], [2.0, 0.0, -1e-2]])
    assert sc.active_fraction(S) == pytest.approx(0.5)
    assert sc.active_fraction(S, tol=0) == pytest.approx(4 / 6)
