"""Tests for autoencoders.data.images: UFLDL-normalised patches of natural photos, raw or whitened."""

import numpy as np
import pytest

import autoencoders.data as data
from autoencoders.data import images


@pytest.mark.parametrize("whiten", [False, True])
def test_natural_patches_preprocessing(whiten):
    """Do the patches follow UFLDL: per-patch zero mean, clip at 3 std, map [-1, 1] to [0.1, 0.9]?"""
    P = data.natural_patches(n=2000, seed=1, whiten=whiten)
    assert P.shape == (2000, 64) and P.dtype == np.float64
    assert P.min() >= 0.1 - 1e-12 and P.max() <= 0.9 + 1e-12
    Z = (P - 0.5) / 0.4  # back to the clipped [-1, 1] scale
    clipped = np.isclose(np.abs(Z), 1.0)
    assert 0 < clipped.mean() < 0.05  # clipping happens, but rarely
    unclipped_rows = ~clipped.any(axis=1)
    np.testing.assert_allclose(Z[unclipped_rows].mean(axis=1), 0, atol=1e-12)
    assert 0.25 < Z.std() < 1 / 3  # 1/3 before clipping trims the tails
    np.testing.assert_array_equal(P, data.natural_patches(n=2000, seed=1, whiten=whiten))
    assert not np.array_equal(P, data.natural_patches(n=2000, seed=2, whiten=whiten))
    assert data.natural_patches(n=10, patch_size=5, dtype="float32").shape == (10, 25)


def test_unseeded_patches_are_fresh_and_not_cached(shared_cache):
    """With seed=None, are two draws different, and is nothing written to the cache?"""
    before = set(shared_cache.iterdir())
    a, b = data.natural_patches(n=20, seed=None), data.natural_patches(n=20, seed=None)
    assert a.shape == (20, 64) and not np.array_equal(a, b)
    assert set(shared_cache.iterdir()) == before


def test_whitening_flattens_the_spectrum():
    """Does whitening a 1/f image leave much more of its power at high frequencies than before?"""
    rng = np.random.default_rng(0)
    f = np.hypot(np.fft.fftfreq(64)[:, None], np.fft.fftfreq(64)[None, :])  # (64, 64)
    pink = np.real(np.fft.ifft2(np.fft.fft2(rng.normal(size=(64, 64))) / np.maximum(f, 1 / 64)))
    white = images.whiten_image(pink, margin=8)  # (48, 48)
    assert white.shape == (48, 48)

    def high_share(img):  # power share above 1/8 cycle per pixel
        power = np.abs(np.fft.fft2(img - img.mean())) ** 2
        r = np.hypot(np.fft.fftfreq(img.shape[0])[:, None], np.fft.fftfreq(img.shape[1])[None, :])
        return power[r > 0.125].sum() / power.sum()

    assert high_share(white) > 2 * high_share(pink[8:-8, 8:-8])  # about 0.8 against 0.35


@pytest.mark.parametrize(
    "call, match",
    [
        (lambda: data.natural_patches(n=-5), "n must.*-5"),
        (lambda: data.natural_patches(patch_size=0), "patch_size.*0"),
        (lambda: data.natural_patches(patch_size=2.5), "patch_size.*2.5"),
        (lambda: data.natural_patches(patch_size=200), "patch_size must be <= 128.*200"),
        (lambda: data.natural_patches(whiten="yes"), "whiten.*yes"),
        (lambda: data.natural_patches(seed=-1), "seed.*-1"),
        (lambda: data.natural_patches(dtype="float16"), "dtype.*float16"),
    ],
)
def test_bad_arguments_raise_before_loading(call, match, no_loading):
    """Does each bad argument raise a ValueError naming the argument and the value, before loading?"""
    with pytest.raises(ValueError, match=match):
        call()
