"""Tests for autoencoders.data.cache: checksummed, atomic and optional; corrupt files are rebuilt quietly."""

import os

import numpy as np
import pytest

import autoencoders.data as data
from autoencoders.data import cache


def test_cache_dir_follows_the_environment(monkeypatch, tmp_path):
    """Is the cache $AUTOENCODERS_CACHE, else autoencoders/ under $XDG_CACHE_HOME?"""
    monkeypatch.setenv("AUTOENCODERS_CACHE", str(tmp_path / "mine"))
    assert data.cache_dir() == str(tmp_path / "mine")
    monkeypatch.delenv("AUTOENCODERS_CACHE")
    monkeypatch.setenv("XDG_CACHE_HOME", str(tmp_path / "xdg"))
    assert data.cache_dir() == str(tmp_path / "xdg" / "autoencoders")


def test_save_load_and_cached(monkeypatch, tmp_path):
    """Do arrays survive a round trip, and does `cached` build only when the file is absent or fails check?"""
    monkeypatch.setenv("AUTOENCODERS_CACHE", str(tmp_path))
    arrays = {"a": np.arange(6, dtype=np.uint8).reshape(2, 3), "b": np.array([0.5, -1.0])}
    assert cache.load("x.npz") is None
    cache.save("x.npz", arrays)
    loaded = cache.load("x.npz")
    assert set(loaded) == {"a", "b"} and loaded["a"].dtype == np.uint8
    np.testing.assert_array_equal(loaded["a"], arrays["a"])
    builds = []

    def build():
        builds.append(1)
        return {"a": np.zeros(3)}

    cache.cached("y.npz", build, lambda arr: True)
    cache.cached("y.npz", build, lambda arr: True)  # second call: from the file
    assert len(builds) == 1
    cache.cached("y.npz", build, lambda arr: arr["a"].shape == (4,))  # unexpected contents: rebuilt
    assert len(builds) == 2


def test_fresh_loads_make_no_network_call(offline, monkeypatch, tmp_path, capfd):
    """With an empty cache and sockets refusing to connect, do all loaders still work quietly?"""
    monkeypatch.setenv("AUTOENCODERS_CACHE", str(tmp_path / "cache"))
    assert data.load_mnist(source="auto", verbose=False).source == "subset"
    assert data.load_digits().X_train.shape[1] == 64
    assert data.natural_patches(n=50).shape == (50, 64)
    assert offline == []
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
    else:  # valid zip, stale checksum
        with np.load(path) as f:
            arrays = {k: f[k] for k in f.files}
        arrays["patches"] = arrays["patches"] * 0 + 0.5
        np.savez(path, **arrays)
    again = data.natural_patches(n=200, seed=5)
    np.testing.assert_array_equal(again, expected)
    assert capfd.readouterr().err == ""
    with np.load(path) as f:  # the rebuilt file is valid again
        np.testing.assert_array_equal(f["patches"], expected)


@pytest.mark.parametrize("damage", ["garbage", "wrong_shape"])
def test_corrupt_mnist_cache_is_rebuilt(mnist_raw, row_keys, monkeypatch, tmp_path, damage):
    """Does a garbage or wrongly shaped (but checksummed) MNIST cache give the right digits back?"""
    monkeypatch.setenv("AUTOENCODERS_CACHE", str(tmp_path))
    if damage == "garbage":
        (tmp_path / "mnist_subset.npz").write_bytes(b"\x00" * 1000)
    else:
        cache.save("mnist_subset.npz", {"X": np.zeros((50, 784), np.uint8), "y": np.zeros(50, int)})
    ds = data.load_mnist(verbose=False)
    assert sorted(row_keys(np.vstack([ds.X_train, ds.X_test]))) == sorted(row_keys(mnist_raw[0] / 255.0))


def test_unwritable_cache_still_loads(monkeypatch, tmp_path, capfd):
    """If the cache directory cannot be created, is the data still returned, quietly?"""
    blocker = tmp_path / "a_file"
    blocker.write_text("not a directory")
    monkeypatch.setenv("AUTOENCODERS_CACHE", str(blocker / "cache"))
    assert data.natural_patches(n=20).shape == (20, 64)
    assert capfd.readouterr().err == ""
