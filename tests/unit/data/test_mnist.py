"""Tests for autoencoders.data.mnist: the offline subset, full MNIST from OpenML's cache, network blocking."""

import gzip
import hashlib
import json
import socket
import warnings

import numpy as np
import pytest

import autoencoders.data as data
from autoencoders.data import mnist

# --------------------------------------------------------------------------- the offline subset


def test_mnist_default_is_the_shuffled_offline_subset(mnist_raw, row_keys, capfd):
    """Does the default load give 4,000 + 1,000 real subset digits, each with its own label?"""
    ds = data.load_mnist()
    out, err = capfd.readouterr()
    assert err == ""  # nbgrader zeroes cells that write to stderr
    assert out.count("\n") == 1 and "subset" in out  # one line naming the source
    assert ds.source == "subset" and ds.image_shape == (28, 28)
    assert ds.X_train.shape == (4000, 784) and ds.X_test.shape == (1000, 784)
    assert ds.y_train.shape == (4000,) and ds.y_test.shape == (1000,)
    assert ds.X_train.dtype == np.float64 and np.issubdtype(ds.y_train.dtype, np.integer)
    assert ds.X_train.min() == 0.0 and ds.X_train.max() == 1.0
    # every returned row is a subset digit carrying its own label, and none is lost or repeated
    X_raw, y_raw = mnist_raw
    label_of = dict(zip(row_keys(X_raw / 255.0), y_raw))
    keys = row_keys(np.vstack([ds.X_train, ds.X_test]))
    assert sorted(keys) == sorted(label_of)
    assert [label_of[k] for k in keys] == list(np.concatenate([ds.y_train, ds.y_test]))


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
    description = {
        "data_set_description": {
            "id": "554",
            "name": "mnist_784",
            "version": "1",
            "format": "ARFF",
            "status": "active",
            "file_id": "52667",
            "url": url,
            "md5_checksum": hashlib.md5(arff).hexdigest(),
            "description": "fake MNIST for tests",
        }
    }
    feature = {
        "data_type": "numeric",
        "is_target": "false",
        "is_ignore": "false",
        "is_row_identifier": "false",
        "number_of_missing_values": "0",
    }
    features = [dict(feature, index=str(j), name=f"pixel{j + 1}") for j in range(784)]
    features.append(
        dict(
            feature,
            index="784",
            name="class",
            data_type="nominal",
            is_target="true",
            nominal_values=json.dumps([str(k) for k in range(10)]),
        )
    )
    qualities = {"data_qualities": {"quality": [{"name": "NumberOfInstances", "value": f"{len(y)}.0"}]}}
    _write_gz(api / "554.gz", json.dumps(description).encode())
    _write_gz(api / "features" / "554.gz", json.dumps({"data_features": {"feature": features}}).encode())
    _write_gz(api / "qualities" / "554.gz", json.dumps(qualities).encode())
    download = data_home / "openml" / "openml.org" / "data" / "v1" / "download" / "52667"
    _write_gz(download / "mnist_784.arff.gz", arff)


def test_openml_cache_is_used_offline(row_keys, monkeypatch, tmp_path, capfd):
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
    label_of = dict(zip(row_keys(X / 255.0), y))
    keys = row_keys(np.vstack([ds.X_train, ds.X_test]))
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
    with warnings.catch_warnings(record=True) as caught:  # sklearn warns as it drops a bad file
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

    monkeypatch.setenv("AUTOENCODERS_CACHE", str(tmp_path))  # keep the fake digits out of other tests
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


def test_no_network_blocks_inside_and_restores_after():
    """Does no_network make connections raise NetworkBlocked, and put the previous functions back?"""
    before = socket.socket.connect, socket.getaddrinfo
    with mnist.no_network():
        with pytest.raises(mnist.NetworkBlocked, match="network access blocked"):
            socket.getaddrinfo("openml.org", 443)
        with pytest.raises(mnist.NetworkBlocked), socket.socket() as s:
            s.connect(("127.0.0.1", 9))
    assert (socket.socket.connect, socket.getaddrinfo) == before
    assert data.NetworkBlocked is mnist.NetworkBlocked


# --------------------------------------------------------------------------- argument checks


@pytest.mark.parametrize(
    "call, match",
    [
        (lambda: data.load_mnist(source="web"), "source.*web"),
        (lambda: data.load_mnist(source="subset", download=True), "download"),
        (lambda: data.load_mnist(scaling="minmax"), "scaling.*minmax"),
        (lambda: data.load_mnist(seed=-1), "seed.*-1"),
    ],
)
def test_bad_arguments_raise_before_loading(call, match, no_loading, capfd):
    """Does each bad argument raise a ValueError naming the argument and the value, before loading?"""
    with pytest.raises(ValueError, match=match):
        call()
    assert capfd.readouterr().out == ""
