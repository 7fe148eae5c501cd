"""Tests for autoencoders.penalties' own checks (their gradients are checked in test_models_autoencoder.py)."""

import pytest

from autoencoders import penalties


@pytest.mark.parametrize("rho", [0, 1, -0.1, 1.2])
def test_rho_outside_the_open_unit_interval(rho):
    with pytest.raises(ValueError, match=rf"rho must lie in the open interval \(0, 1\), got {rho}"):
        penalties.KLSparsity(rho=rho)
