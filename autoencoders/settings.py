"""Run-time settings read from the environment, defined once for notebooks, explorers and tests.

    FAST = ae.settings.fast_mode()     # AUTOENCODERS_FAST=1 (or true/yes/on): smaller runs, same code paths
    ae.settings.one_blas_thread()      # single-threaded BLAS for the rest of the process (or `with` it)

Both are read here only, so every caller agrees on what the variable means.
"""

import contextlib
import os

FAST_VARIABLE = "AUTOENCODERS_FAST"
_TRUE = {"1", "true", "yes", "on"}
_FALSE = {"", "0", "false", "no", "off"}


def fast_mode():
    """True when AUTOENCODERS_FAST is 1/true/yes/on (any case), False when unset or 0/false/no/off."""
    value = os.environ.get(FAST_VARIABLE, "").strip().lower()
    if value not in _TRUE | _FALSE:
        raise ValueError(f"{FAST_VARIABLE} must be one of 1/true/yes/on or 0/false/no/off, got {value!r}")
    return value in _TRUE


def one_blas_thread():
    """Limit BLAS to one thread; returns a context manager that restores the old limit on exit.

    The course's matrices are small: on a busy 2-core machine, BLAS threads mostly wait for each other
    (an SVD of 500 MNIST images took 3.7 s with threads and 0.3 s without), and a free core keeps the
    notebook responsive. Called without `with`, the limit holds for the rest of the process.
    """
    try:
        from threadpoolctl import threadpool_limits

        return threadpool_limits(limits=1, user_api="blas")
    except Exception:  # threadpoolctl cannot inspect this process: run as is
        return contextlib.nullcontext()
