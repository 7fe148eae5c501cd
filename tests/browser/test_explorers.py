"""Do the explorer notebooks work in JupyterLab in a real browser (Debian's Chromium via Playwright)?

Per notebook: open it, run all cells, wait for the kernel, move the main slider with the keyboard (and
train, where there is a Train button), and check that the rendered images changed, that no cell shows
an error and that the widgets rendered as widgets. Redraw and first-curve times are printed, not asserted.
"""

import time

import pytest

from tests.support.labdriver import NB, open_notebook, press_slider, run_all_cells, view, wait_new_src, wait_not_busy

pytestmark = [pytest.mark.browser, pytest.mark.slow]

FALLBACK_TEXTS = ("Loading widget", "Error displaying widget", "Explorer(", "VBox(children=", "object at 0x")


KERNEL_IDLE_WHILE_BUSY = f"""() => document.querySelector("{NB} .ae-explorer.ae-busy") !== null &&
    document.querySelector("{NB} .jp-Notebook-ExecutionIndicator[data-status='idle']") !== null"""


def assert_healthy(page):
    """No error or stderr output, no error status, and widgets rendered as live widgets (not text)."""
    errors = page.locator(f"{NB} .jp-OutputArea-output[data-mime-type='application/vnd.jupyter.stderr']")
    assert errors.count() == 0, f"a cell wrote to stderr: {errors.first.inner_text()[:2000]}"
    assert page.locator(f"{NB} .ae-status.ae-error").count() == 0, view(page, "ae-status").inner_text()
    assert page.locator(f"{NB} .jp-OutputArea .jupyter-widgets").count() > 0
    assert page.locator(f"{NB} .jp-OutputArea .ae-explorer .widget-slider").count() > 0
    assert page.locator(f"{NB} .jp-OutputArea .ae-explorer img").count() >= 2
    text = "\n".join(page.locator(f"{NB} .jp-OutputArea").all_inner_texts())
    shown = [t for t in FALLBACK_TEXTS if t in text]
    assert not shown, f"output shows text instead of widgets: {shown}"


def image_state(page, cls):
    """(screenshot bytes, src) of an image view."""
    return view(page, cls).screenshot(), view(page, cls).get_attribute("src")


def report(capsys, name, **seconds):
    with capsys.disabled():
        print(f"\n[browser timings] {name}: " + ", ".join(f"{k} {v:.2f} s" for k, v in seconds.items()))


def test_autoencoder_explorer(page, lab, tmp_path, capsys):
    """Does a slider move redraw at once, and does Train update the views live with the kernel free, until Stop?"""
    open_notebook(page, lab, "explore_autoencoder.ipynb")
    run_all_cells(page)
    assert_healthy(page)
    before, old = image_state(page, "ae-view-recon")
    view(page, "ae-noise select").select_option(label="masking")  # the noise level matters only with noise on
    wait_new_src(page, "ae-view-recon", old)
    old = view(page, "ae-view-recon").get_attribute("src")
    press_slider(page)  # noise level 0.25 -> 0.30 redraws the reconstructions without training
    redraw = wait_new_src(page, "ae-view-recon", old)
    assert view(page, "ae-view-recon").screenshot() != before

    press_slider(page, "ae-epochs", "End")  # 100 epochs: time to look at the page while it trains
    before, old = image_state(page, "ae-view-loss")
    view(page, "ae-train").click()
    first_point = wait_new_src(page, "ae-view-loss", old)
    # training runs in a thread: the kernel is idle (the notebook usable) while the curve keeps updating
    assert page.evaluate(KERNEL_IDLE_WHILE_BUSY), "the kernel is busy while the explorer trains"
    wait_new_src(page, "ae-view-loss", view(page, "ae-view-loss").get_attribute("src"))
    view(page, "ae-stop").click()
    wait_not_busy(page)
    assert "(stopped)" in view(page, "ae-status").inner_text()
    assert view(page, "ae-view-loss").screenshot() != before
    assert_healthy(page)
    report(capsys, "explore_autoencoder", slider_redraw=redraw, first_curve_point=first_point)
    page.screenshot(path=tmp_path / "explore_autoencoder.png")


@pytest.mark.parametrize(
    "name", ["explore_denoising_filters.ipynb", "explore_pca_vs_autoencoder.ipynb", "explore_sparsity.ipynb"]
)
def test_cached_slider_explorers(page, lab, tmp_path, capsys, name):
    """Once its settings are computed, does moving the slider redraw the view from the cache?"""
    open_notebook(page, lab, name)
    run_all_cells(page)
    start = time.perf_counter()
    wait_not_busy(page)  # the worker thread has computed every setting
    precompute = time.perf_counter() - start
    assert_healthy(page)
    before, old = image_state(page, "ae-key-view")
    press_slider(page)
    redraw = wait_new_src(page, "ae-key-view", old)
    assert view(page, "ae-key-view").screenshot() != before
    assert_healthy(page)
    report(capsys, name.removesuffix(".ipynb"), slider_redraw=redraw, precompute_after_run=precompute)
    page.screenshot(path=tmp_path / name.replace(".ipynb", ".png"))
