"""Argument checks shared by the package: every error names the argument and the value."""

import numbers

import numpy as np


def check_choice(name, value, table):
    """Return table[value], or raise ValueError listing the valid keys."""
    if value not in table:
        raise ValueError(f"{name} must be one of {sorted(table)}, got {value!r}")
    return table[value]


def check_positive(name, value, integer=False):
    """Raise unless value is a number > 0 (an int if integer=True)."""
    kind = numbers.Integral if integer else numbers.Real
    if isinstance(value, bool) or not isinstance(value, kind) or not value > 0:
        what = "an integer" if integer else "a number"
        raise ValueError(f"{name} must be {what} > 0, got {value!r}")
    return value


def check_int(name, value, minimum=None, maximum=None):
    """Return value as an int, or raise unless it is an integer (not a bool) in [minimum, maximum]."""
    ok = isinstance(value, numbers.Integral) and not isinstance(value, bool)
    ok = ok and (minimum is None or value >= minimum) and (maximum is None or value <= maximum)
    if not ok:
        bounds = {
            (False, False): "",
            (True, False): f" >= {minimum}",
            (False, True): f" <= {maximum}",
            (True, True): f" in [{minimum}, {maximum}]",
        }[minimum is not None, maximum is not None]
        raise ValueError(f"{name} must be an integer{bounds}, got {value!r}")
    return int(value)


def n_batches(n, batch_size):
    """How many minibatches of batch_size cover n examples (the last one may be short): ceil(n / batch_size)."""
    return -(-n // batch_size)


def check_open_unit(name, value):
    """Raise unless 0 < value < 1."""
    if not (isinstance(value, numbers.Real) and 0 < value < 1):
        raise ValueError(f"{name} must lie in the open interval (0, 1), got {value!r}")
    return value


def check_array(name, X, n_features=None, dtype=None):
    """Return X as a finite 2-D float array (N, d); raise ValueError otherwise."""
    X = np.asarray(X)
    if X.ndim != 2:
        raise ValueError(f"{name} must be a 2-D array (n_samples, n_features), got shape {X.shape}")
    if X.shape[0] == 0 or X.shape[1] == 0:
        raise ValueError(f"{name} must not be empty, got shape {X.shape}")
    if n_features is not None and X.shape[1] != n_features:
        raise ValueError(f"{name} must have {n_features} features (columns), got shape {X.shape}")
    if not np.issubdtype(X.dtype, np.number):
        raise ValueError(f"{name} must be numeric, got dtype {X.dtype}")
    if not np.all(np.isfinite(X)):
        raise ValueError(f"{name} contains NaN or inf ({np.count_nonzero(~np.isfinite(X))} entries)")
    if dtype is not None:
        X = X.astype(dtype, copy=False)
    elif not np.issubdtype(X.dtype, np.floating):
        X = X.astype(np.float64)
    return X
