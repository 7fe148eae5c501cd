"""Input corruptions for denoising autoencoders; all take a numpy Generator so runs are seeded."""

import numpy as np

from ._checks import check_choice


def gaussian(X, level, rng):
    """Add N(0, level^2) noise to every entry."""
    return X + rng.normal(0.0, level, size=X.shape).astype(X.dtype, copy=False)


def masking(X, level, rng):
    """Destroy a fraction `level` of the entries by setting them to 0 (Vincent et al. 2008)."""
    return X * (rng.random(X.shape) >= level)


def salt_and_pepper(X, level, rng):
    """Set a fraction `level` of the entries to the data's minimum or maximum, with equal odds."""
    hit = rng.random(X.shape) < level
    salt = rng.random(X.shape) < 0.5
    return np.where(hit, np.where(salt, X.max(), X.min()), X).astype(X.dtype, copy=False)


NOISES = {"gaussian": gaussian, "masking": masking, "salt_and_pepper": salt_and_pepper}


def check_noise(noise, level):
    """Validate a (noise name, level) pair; fractions must lie in [0, 1], std >= 0."""
    if noise is None:
        return
    check_choice("noise", noise, NOISES)
    if not np.isfinite(level) or level < 0 or (noise != "gaussian" and level > 1):
        bound = "[0, inf)" if noise == "gaussian" else "[0, 1]"
        raise ValueError(f"noise_level must lie in {bound} for {noise!r} noise, got {level!r}")


def corrupt(X, noise, level, rng):
    """X corrupted by the named noise at the given level; X itself when noise is None or level is 0."""
    if noise is None or level == 0:
        return X
    check_noise(noise, level)
    return NOISES[noise](X, level, rng)
