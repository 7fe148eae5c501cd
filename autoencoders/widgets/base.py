"""The explorers' base classes: a root widget with a worker thread, and a slider over cached results."""

import hashlib
import os
import threading

import ipywidgets as W
import numpy as np

from .. import __version__
from .._checks import n_batches
from ..data import cache as disk
from ..settings import one_blas_thread
from ..training import train as train_loop
from .render import STYLE, close_tree, show_status, start

# Weights start as N(0, 0.01^2): weights of pixels that are always 0 (MNIST's border) get no gradient, and
# larger random starts would stay visible as noise in every filter mosaic.
INIT_SCALE = 0.01

# Slider explorers keep what they computed in the package's disk cache (autoencoders/data/cache.py,
# $AUTOENCODERS_CACHE or ~/.cache/autoencoders), so that the next session's slider is instant;
# AUTOENCODERS_EXPLORER_CACHE=off keeps results in memory only (the tests set it).
CACHE_SWITCH = "AUTOENCODERS_EXPLORER_CACHE"


def disk_cache_on():
    """Whether explorers read and write their results on disk."""
    return os.environ.get(CACHE_SWITCH, "on").lower() != "off"


class Explorer:
    """Shared plumbing: a root widget with a busy flag, display, a worker thread, stop and close."""

    def _init_root(self, children, background):
        self.background = background
        self.error = None  # the last exception a run raised, if any
        self._thread = None
        self._stop = threading.Event()
        self.ui = W.VBox(children)
        self.ui.add_class("ae-explorer")

    def _repr_mimebundle_(self, **kwargs):
        return self.ui._repr_mimebundle_(**kwargs)

    @property
    def running(self):
        """True while a background run is in progress."""
        return self._thread is not None and self._thread.is_alive()

    def wait(self, timeout=None):
        """Block until the background run (if any) finishes; returns self."""
        if self._thread is not None:
            self._thread.join(timeout)
        return self

    def _busy(self, on):
        (self.ui.add_class if on else self.ui.remove_class)("ae-busy")

    def close(self):
        """Stop any run and close the widgets."""
        self._stop.set()
        self.wait(10)
        close_tree(self.ui)


class CachedSliderExplorer(Explorer):
    """A slider over a few settings whose results are computed once (in a worker thread) and then cached.

    Subclasses define _keys() (every setting), _label(key), _compute(key, report) -> result, where
    report(fraction) moves the progress bar, and redraw(). The setting shown is the slider's value; a
    subclass with more controls overrides _current() (and observes them with _on_slider).

    A subclass that lists in CACHE_SETTINGS the attributes its results depend on (besides the key and the
    data) also keeps them on disk (see disk_cache_on): a result is a dict of arrays and numbers.
    """

    CACHE_SETTINGS = None  # attribute names, e.g. ("n_hidden", "lr", "epochs", "seed"); None: memory only

    def _init_cache(self, slider, views, background):
        self.slider = slider
        slider.add_class("ae-key-slider")
        self.cache = {key: r for key in self._keys() if (r := self._read_disk(key)) is not None}  # key -> result
        self.progress = W.FloatProgress(0.0, min=0.0, max=1.0, description="precomputing", style=STYLE)
        self.status = W.HTML()
        self.status.add_class("ae-status")
        self._init_root([slider, W.HBox([self.progress, self.status]), *views], background)
        slider.observe(self._on_slider, names="value")

    def _current(self):
        """The key of the setting the controls show."""
        return self.slider.value

    def _pending(self):
        """Keys still to compute, the current one first."""
        keys = [self._current()] + [k for k in self._keys() if k != self._current()]
        return [k for k in keys if k not in self.cache]

    def precompute(self, wait=False):
        """Compute every uncached setting (in the worker thread unless background=False); returns self."""
        if not self.running and self._pending():
            self._busy(True)
            self._thread = start(self._work, self.background)
        return self.wait() if wait else self

    def _work(self, only_current=False):
        """Compute pending settings, the current one first, redrawing when the current one is ready."""
        try:
            while self._pending() and not self._stop.is_set():
                key = self._pending()[0]
                if only_current and key != self._current():
                    break
                done, n = len(self.cache), len(self._keys())
                show_status(self.status, f"computing {self._label(key)} ({done + 1} of {n})...")
                self.cache[key] = self._compute(key, self._reporter(done, n))
                self._write_disk(key, self.cache[key])
                self.progress.value = len(self.cache) / n
                self.redraw()
            pending = len(self._pending())
            show_status(
                self.status,
                "all settings computed: the slider is instant now"
                if not pending
                else f"{len(self.cache)} of {len(self._keys())} settings computed",
            )
        except Exception as exc:  # noqa: BLE001 (shown in the widget: a thread has nobody else to tell)
            if not self._stop.is_set():
                self.error = exc
                show_status(self.status, f"{type(exc).__name__}: {exc}", error=True)
        finally:
            self._busy(False)

    def _train(self, model, report, X_test=None, lr=0.005, epochs=1, batch_size=32):
        """Train model on the explorer's X_train with Adam from its seeded start; (params, History).

        Moves the progress bar through report(fraction) and stops early when the explorer is stopped.
        """
        params = model.init_params(self.X_train.shape[1])
        total = n_batches(len(self.X_train), batch_size) * epochs  # steps in the run

        def callback(history, params):
            report(history.steps[-1] / total)
            return self._stop.is_set()

        return train_loop(
            model,
            params,
            self.X_train,
            self.X_train,
            X_test,
            X_test,
            optimizer="adam",
            lr=lr,
            epochs=epochs,
            batch_size=batch_size,
            seed=self.seed,
            verbose=False,
            callback=callback,
        )

    def _disk_name(self, key):
        """The cache file name of one setting's result, or None when results are not kept on disk."""
        if self.CACHE_SETTINGS is None or not disk_cache_on():
            return None
        settings = [getattr(self, name) for name in self.CACHE_SETTINGS]
        digest = hashlib.sha1(repr((__version__, settings, key)).encode())
        for X in (self.X_train, self.X_test):  # the data, whichever MNIST the user has
            digest.update(np.ascontiguousarray(X).tobytes())
        return f"explorer-{type(self).__name__}-{digest.hexdigest()[:20]}.npz"

    def _read_disk(self, key):
        """A result saved by an earlier session ({name: array or number}), or None."""
        name = self._disk_name(key)
        arrays = None if name is None else disk.load(name)  # None too when missing or corrupt
        return None if arrays is None else {k: a.item() if a.ndim == 0 else a for k, a in arrays.items()}

    def _write_disk(self, key, result):
        """Save a result for later sessions; skipped when it is not plain data (arrays and numbers)."""
        name = self._disk_name(key)
        arrays = {k: np.asarray(value) for k, value in result.items()}
        if name is not None and not any(a.dtype == object for a in arrays.values()):
            disk.save(name, arrays)

    def _reporter(self, done, n):
        """report(fraction) for the setting computed after `done` of `n`: moves the progress bar."""
        return lambda fraction: setattr(self.progress, "value", (done + fraction) / n)

    def _on_slider(self, change):
        self.redraw()
        if self._current() in self.cache:
            return
        if self.background:
            self.precompute()
        else:  # synchronous (tests): compute just this setting, now
            with one_blas_thread():
                self._work(only_current=True)
