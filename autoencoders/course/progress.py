"""The progress bar of the course commands: tqdm on stderr, so results on stdout stay clean."""

import sys


def progress_bar(items=None, desc="", enabled=True, total=None):
    """items wrapped in a tqdm bar on stderr when enabled; items itself (None: no bar) otherwise."""
    if not enabled:
        return items
    from tqdm.auto import tqdm

    return tqdm(items, desc=desc, total=total, file=sys.stderr, leave=False)
