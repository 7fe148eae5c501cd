"""Write docs/explorer.png, the README's picture: Chromium's screenshot of the autoencoder explorer after training.

    .venv/bin/python -m scripts.screenshot_explorer [--out docs/explorer.png]   (from the repository root)

Serves a temporary copy of notebooks/explore with JupyterLab (full settings: AUTOENCODERS_FAST unset),
runs explore_autoencoder.ipynb in Debian's Chromium, picks masking noise, presses Train, waits for the
run to finish and screenshots the explorer widget. Needs /usr/bin/chromium and playwright, as the
browser tests do.
"""

import argparse
import os
import sys
import tempfile
import time
from pathlib import Path

from tests.support import ROOT
from tests.support import labdriver as lab_  # shared with the browser tests


def main(argv=None):
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--out", type=Path, default=ROOT / "docs" / "explorer.png")
    args = parser.parse_args(argv)
    why = lab_.missing()
    if why:
        print(f"error: {why}", file=sys.stderr)
        return 2
    os.environ.pop("AUTOENCODERS_FAST", None)  # the picture shows the real defaults
    with tempfile.TemporaryDirectory(prefix="explorer-shot-") as tmp:
        root = lab_.copy_notebooks(ROOT / "notebooks" / "explore", Path(tmp) / "notebooks")
        with lab_.jupyter_lab(root, tmp) as lab, lab_.chromium() as browser:
            page = browser.new_context(viewport={"width": 1280, "height": 1300}).new_page()
            lab_.open_notebook(page, lab, "explore_autoencoder.ipynb")
            lab_.run_all_cells(page)
            old = lab_.view(page, "ae-view-recon").get_attribute("src")
            lab_.view(page, "ae-noise select").select_option(label="masking")
            lab_.wait_new_src(page, "ae-view-recon", old)
            start, old = time.perf_counter(), lab_.view(page, "ae-view-loss").get_attribute("src")
            lab_.view(page, "ae-train").click()
            first_point = lab_.wait_new_src(page, "ae-view-loss", old)
            lab_.wait_not_busy(page)
            status = lab_.view(page, "ae-status").inner_text()
            if "Trained" not in status:
                print(f"error: training did not finish cleanly: {status}", file=sys.stderr)
                return 1
            explorer = lab_.view(page, "ae-explorer")
            explorer.scroll_into_view_if_needed()
            args.out.parent.mkdir(parents=True, exist_ok=True)
            explorer.screenshot(path=args.out)
            print(
                f"wrote {args.out}: {status.strip()} First curve point {first_point:.2f} s after Train, "
                f"done after {time.perf_counter() - start:.1f} s."
            )
    return 0


if __name__ == "__main__":
    sys.exit(main())
