"""Wrong answers (MUTANTS) and differently written right answers (ALTERNATIVES) for 03_linear_autoencoder_pca.

Read by tests/test_pipeline.py and tests/test_notebook_03.py (format in tests/pipeline_fixtures/solutions/toy/mutants.py):
`cell` is the grade_id of a solution cell; `find`/`replace` edit the reference answer (markers removed, every
occurrence), `source` replaces the whole cell; `why` says what the mistake or the alternative is; `exercise` lists the
test cells that must lose points when it is not the test cells right after `cell`.
"""

_DELEGATE_PCA = """def pca_svd(X, k, center=True):
    if center:
        fit = ae.pca.pca(X, k)
        return fit.components_, np.sqrt(fit.explained_variance_ * (len(X) - 1)), fit.mean_
    return ae.pca.svd_basis(X, k), np.linalg.svd(X, compute_uv=False)[:k], np.zeros(X.shape[1])
"""

_ANGLES_NOT_ORTHONORMAL = """def principal_angles(A, B):
    cosines = np.linalg.svd(A.T @ B, compute_uv=False)
    return np.arccos(np.clip(cosines, -1.0, 1.0))
"""

_DELEGATE_ANGLES = """import scipy.linalg


def principal_angles(A, B):
    return np.sort(scipy.linalg.subspace_angles(A, B))
"""

_RATIOS_INVERTED = """def mean_squared_error(X, X_hat):
    return float(np.mean((X - X_hat) ** 2))


ratio_centred = mean_squared_error(X_train, X_pca) / mean_squared_error(X_train, model_bias.reconstruct(X_train))
ratio_uncentred = mean_squared_error(X_train, X_svd) / mean_squared_error(X_train, model_nobias.reconstruct(X_train))
"""

_RATIOS_SWAPPED = """def mean_squared_error(X, X_hat):
    return float(np.mean((X - X_hat) ** 2))


ratio_centred = mean_squared_error(X_train, model_bias.reconstruct(X_train)) / mean_squared_error(X_train, X_svd)
ratio_uncentred = mean_squared_error(X_train, model_nobias.reconstruct(X_train)) / mean_squared_error(X_train, X_pca)
"""

_RATIOS_MIXED_UNITS = """def mean_squared_error(X, X_hat):
    return float(np.mean((X - X_hat) ** 2))


def loss_J(X, X_hat):
    return 0.5 * np.sum((X - X_hat) ** 2) / len(X)


ratio_centred = loss_J(X_train, model_bias.reconstruct(X_train)) / mean_squared_error(X_train, X_pca)
ratio_uncentred = loss_J(X_train, model_nobias.reconstruct(X_train)) / mean_squared_error(X_train, X_svd)
"""

MUTANTS = [
    # ---- pca_svd
    {
        "cell": "pca_svd",
        "find": "X.mean(axis=0) if center else np.zeros(X.shape[1])",
        "replace": "np.zeros(X.shape[1])",
        "why": "never centres the data",
    },
    {
        "cell": "pca_svd",
        "find": "return Vt[:k], s[:k], mean",
        "replace": "return Vt[:, :k].T, s[:k], mean",
        "why": "takes the first k columns of Vt instead of its first k rows",
        "exercise": "test_pca_svd_hidden",
    },
    {
        "cell": "pca_svd",
        "find": "return Vt[:k], s[:k], mean",
        "replace": "return Vt[-k:], s[-k:], mean",
        "why": "the k smallest singular values and their vectors",
    },
    {
        "cell": "pca_svd",
        "find": "return Vt[:k], s[:k], mean",
        "replace": "return Vt[:k], s[:k] ** 2 / (X.shape[0] - 1), mean",
        "why": "returns the variances s^2 / (N - 1) instead of the singular values",
    },
    {
        "cell": "pca_svd",
        "source": _DELEGATE_PCA,
        "exercise": "test_pca_svd_hidden",
        "why": "delegates to ae.pca.pca and ae.pca.svd_basis",
    },
    # ---- principal_angles
    {
        "cell": "principal_angles",
        "source": _ANGLES_NOT_ORTHONORMAL,
        "why": "no orthonormalisation: singular values of A^T B are cosines only for orthonormal bases",
    },
    {
        "cell": "principal_angles",
        "find": "return np.arccos(np.clip(cosines, -1.0, 1.0))",
        "replace": "return np.degrees(np.arccos(np.clip(cosines, -1.0, 1.0)))",
        "why": "degrees instead of radians",
    },
    {
        "cell": "principal_angles",
        "find": "return np.arccos(np.clip(cosines, -1.0, 1.0))",
        "replace": "return np.arccos(np.clip(cosines, -1.0, 1.0))[::-1]",
        "exercise": "test_principal_angles_hidden",
        "why": "angles in decreasing order",
    },
    {
        "cell": "principal_angles",
        "find": "np.arccos(np.clip(cosines, -1.0, 1.0))",
        "replace": "np.arccos(cosines)",
        "why": "no clipping: a cosine rounded above 1 gives nan for equal subspaces",
    },
    {
        "cell": "principal_angles",
        "source": _DELEGATE_ANGLES,
        "exercise": "test_principal_angles_hidden",
        "why": "delegates to scipy.linalg.subspace_angles",
    },
    # ---- ratios
    {"cell": "ratios", "source": _RATIOS_INVERTED, "why": "inverted: PCA error over autoencoder error"},
    {
        "cell": "ratios",
        "source": _RATIOS_SWAPPED,
        "why": "baselines swapped: the model with biases against the uncentred SVD and vice versa",
        "exercise": "test_ratios_hidden",
    },
    {
        "cell": "ratios",
        "find": "mean_squared_error(X_train, model_bias.reconstruct(X_train))",
        "replace": "mean_squared_error(mnist.X_test, model_bias.reconstruct(mnist.X_test))",
        "why": "the autoencoder's error on the test set, PCA's on the training set",
        "exercise": "test_ratios_hidden",
    },
    {
        "cell": "ratios",
        "source": _RATIOS_MIXED_UNITS,
        "why": "mixed units: notebook 02's loss J (half the squared norm per image) over PCA's per-pixel error",
    },
]

ALTERNATIVES = [
    {
        "cell": "pca_svd",
        "why": "eigenvectors of X_c^T X_c (np.linalg.eigh), sorted by decreasing eigenvalue",
        "source": """
def pca_svd(X, k, center=True):
    mu = np.mean(X, axis=0) if center else np.zeros(X.shape[1])
    Xc = X - mu
    eigenvalues, eigenvectors = np.linalg.eigh(Xc.T @ Xc)
    top = np.argsort(eigenvalues)[::-1][:k]
    return eigenvectors[:, top].T, np.sqrt(np.maximum(eigenvalues[top], 0)), mu
""",
    },
    {
        "cell": "pca_svd",
        "why": "keeps the input's dtype (float32 stays float32), full_matrices=True",
        "find": """    X = np.asarray(X, dtype=np.float64)
    mean = X.mean(axis=0) if center else np.zeros(X.shape[1])   # (d,)
    _, s, Vt = np.linalg.svd(X - mean, full_matrices=False)""",
        "replace": """    X = np.asarray(X)
    mean = X.mean(axis=0) if center else np.zeros(X.shape[1], dtype=X.dtype)
    _, s, Vt = np.linalg.svd(X - mean, full_matrices=True)""",
    },
    {
        "cell": "principal_angles",
        "why": "scipy.linalg.orth for the bases, then degrees converted back",
        "source": """
import scipy.linalg


def principal_angles(A, B):
    cos = np.linalg.svd(scipy.linalg.orth(A).T @ scipy.linalg.orth(B), compute_uv=False)
    return np.sort(np.radians(np.degrees(np.arccos(np.minimum(cos, 1.0)))))
""",
    },
    {
        "cell": "principal_angles",
        "why": "sines from the part of B outside span(A), accurate for tiny angles",
        "source": """
def principal_angles(A, B):
    if A.shape[1] < B.shape[1]:
        A, B = B, A
    Qa = np.linalg.qr(A)[0]
    Qb = np.linalg.qr(B)[0]
    outside = Qb - Qa @ (Qa.T @ Qb)          # (d, q): components of B's basis orthogonal to span(A)
    sines = np.linalg.svd(outside, compute_uv=False)
    return np.sort(np.arcsin(np.clip(sines, 0.0, 1.0)))
""",
    },
    {
        "cell": "ratios",
        "why": "the package's PCA helpers and model.score (the models' loss is the per-pixel MSE)",
        "source": """
ratio_centred = model_bias.score(X_train) / ae.pca.reconstruction_error(X_train, ae.pca.pca_reconstruct(X_train, K))
ratio_uncentred = model_nobias.score(X_train) / ae.pca.reconstruction_error(
    X_train, ae.pca.pca_reconstruct(X_train, K, centred=False))
""",
    },
    {
        "cell": "ratios",
        "why": "scikit-learn's PCA for the centred baseline, errors as squared norms per image",
        "source": """
from sklearn.decomposition import PCA

sk = PCA(n_components=K).fit(X_train)
per_image = lambda X_hat: np.sum((X_train - X_hat) ** 2, axis=1).mean()
ratio_centred = per_image(model_bias.reconstruct(X_train)) / per_image(sk.inverse_transform(sk.transform(X_train)))
V = np.linalg.svd(X_train, full_matrices=False)[2][:K]
ratio_uncentred = per_image(model_nobias.reconstruct(X_train)) / per_image(X_train @ V.T @ V)
""",
    },
]
