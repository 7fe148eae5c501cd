"""A checksummed on-disk cache of derived arrays, so that loaders parse and sample their sources only once.

Each entry is one .npz file in `cache_dir()` holding the arrays plus their sha256 (`__sha256__`); a file that
is missing, truncated, tampered with or unreadable counts as absent and is rebuilt. Writes are atomic, and a
cache that cannot be written (read-only home, full disk) is skipped silently.
"""

import contextlib
import hashlib
import logging
import os
import tempfile

import numpy as np

logger = logging.getLogger(__name__)

CACHE_VERSION = 1  # bump to invalidate every cached file


def cache_dir():
    """Directory for derived arrays: $AUTOENCODERS_CACHE, else ~/.cache/autoencoders."""
    path = os.environ.get("AUTOENCODERS_CACHE")
    if not path:
        base = os.environ.get("XDG_CACHE_HOME") or os.path.join("~", ".cache")
        path = os.path.join(base, "autoencoders")
    return os.path.abspath(os.path.expanduser(path))


def digest(arrays):
    """sha256 over names, dtypes, shapes and bytes of a dict of arrays."""
    h = hashlib.sha256(str(CACHE_VERSION).encode())
    for name in sorted(arrays):
        a = np.ascontiguousarray(arrays[name])
        h.update(f"{name}|{a.dtype.str}|{a.shape}".encode())
        h.update(a.tobytes())
    return h.hexdigest()


def load(name):
    """Return the dict of arrays cached under name, or None if absent or corrupt (a corrupt file is removed)."""
    path = os.path.join(cache_dir(), name)
    if not os.path.exists(path):
        return None
    try:
        with np.load(path, allow_pickle=False) as f:
            arrays = {k: f[k] for k in f.files}
        stored = str(arrays.pop("__sha256__"))
        if stored != digest(arrays):
            raise ValueError("checksum mismatch")
        return arrays
    except Exception as exc:  # truncated zip, bad CRC, missing key, wrong checksum...
        logger.info("rebuilding corrupt cache file %s (%s)", path, exc)
        with contextlib.suppress(OSError):
            os.remove(path)
        return None


def save(name, arrays):
    """Write arrays atomically (temp file, then os.replace); silently skip if not writable."""
    directory = cache_dir()
    tmp = None
    try:
        os.makedirs(directory, exist_ok=True)
        fd, tmp = tempfile.mkstemp(dir=directory, prefix=name + ".", suffix=".tmp")
        with os.fdopen(fd, "wb") as f:
            np.savez(f, __sha256__=np.array(digest(arrays)), **arrays)
            f.flush()
            os.fsync(f.fileno())
        os.chmod(tmp, 0o644)  # mkstemp makes it private (0o600)
        os.replace(tmp, os.path.join(directory, name))
    except OSError as exc:  # read-only home, full disk: work without a cache
        logger.info("could not write cache file %s (%s)", name, exc)
        if tmp is not None:
            with contextlib.suppress(OSError):
                os.remove(tmp)


def cached(name, build, check):
    """Load arrays from the cache if they pass check(arrays), else build() and save them."""
    arrays = load(name)
    if arrays is not None and not check(arrays):
        logger.info("rebuilding cache file %s (unexpected contents)", name)
        arrays = None
    if arrays is None:
        arrays = build()
        save(name, arrays)
    return arrays
