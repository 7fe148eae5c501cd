"""Are the input corruptions in autoencoders.noise seeded, and at the asked level?"""

import numpy as np
import pytest

from autoencoders import noise


def test_noise_is_seeded_and_has_the_right_level():
    """Do the three corruptions depend only on the seed, and destroy about the asked fraction?"""
    X = np.random.default_rng(0).uniform(0.2, 0.8, (200, 50))
    for name in noise.NOISES:
        a = noise.corrupt(X, name, 0.25, np.random.default_rng(5))
        b = noise.corrupt(X, name, 0.25, np.random.default_rng(5))
        np.testing.assert_array_equal(a, b)
        assert a.shape == X.shape and a.dtype == X.dtype
    masked = noise.masking(X, 0.25, np.random.default_rng(1))
    assert np.mean(masked == 0) == pytest.approx(0.25, abs=0.02)
    sp = noise.salt_and_pepper(X, 0.25, np.random.default_rng(1))
    changed = sp != X
    assert np.mean(changed) == pytest.approx(0.25, abs=0.02)
    assert set(np.unique(sp[changed])) <= {X.min(), X.max()}
    g = noise.gaussian(X, 0.5, np.random.default_rng(1)) - X
    assert np.std(g) == pytest.approx(0.5, rel=0.05)
    assert noise.corrupt(X, None, 0.5, None) is X
