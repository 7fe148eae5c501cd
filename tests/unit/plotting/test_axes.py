"""Tests for autoencoders.plotting._axes: the empty panel with a message."""

from matplotlib.figure import Figure

from autoencoders.plotting import plot_message


def test_plot_message_is_an_empty_panel_with_text():
    """Does the placeholder show just the message, on its own Figure or on a given Axes?"""
    (ax,) = plot_message("training...").axes
    assert [t.get_text() for t in ax.texts] == ["training..."] and not ax.axison
    fig = Figure()
    target = fig.add_subplot()
    assert plot_message("wait", ax=target) is fig and target.texts[0].get_text() == "wait"
