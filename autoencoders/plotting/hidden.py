"""Hidden activations: a histogram of every unit's activation, with the fraction active and the mean."""

import numpy as np

from ._axes import figure_and_axes, write_message


def plot_hidden_activations(H, bins=50, ax=None, tol=0.0, title="Hidden activations", rho=None):
    """Figure: histogram of all hidden activations; title gives the fraction active (|h| > tol) and the mean.

    NaN and inf (a diverged model) are left out. rho draws a vertical line at a sparsity target.
    """
    H = np.asarray(H, dtype=np.float64)
    if H.size == 0:
        raise ValueError(f"H must not be empty, got shape {H.shape}")
    values = H[np.isfinite(H)]  # 1-D
    fig, ax = figure_and_axes(ax, figsize=(6, 4))
    if values.size == 0:
        write_message(ax, f"{title}: no finite activations")
        return fig
    counts, edges = np.histogram(values, bins=bins)
    ax.stairs(counts, edges, fill=True, color="tab:blue")  # one patch: much faster to draw than hist's bars
    if rho is not None:
        ax.axvline(rho, color="tab:red", linewidth=1.5, label=f"target rho = {rho:g}")
        ax.legend()
    active = float(np.mean(np.abs(values) > tol))  # fraction of active (non-zero) activations
    what = "non-zero" if tol == 0 else f"with |h| > {tol:g}"
    ax.set_xlabel("activation")
    ax.set_ylabel("count")
    ax.set_title(f"{title}: {active:.1%} {what}, mean {float(values.mean()):.3g}")
    return fig
