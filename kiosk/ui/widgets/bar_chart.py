"""A bar chart drawn in the terminal (plotext): one series, so nothing is told by colour alone,
and each bar's value written beside it."""

from __future__ import annotations

from collections.abc import Sequence

from textual_plotext import PlotextPlot


class BarChart(PlotextPlot):
    DEFAULT_CSS = """
    BarChart {
        height: 12;
        min-width: 30;
    }
    """

    def show_bars(self, title: str, labels: Sequence[str], values: Sequence[int],
                  horizontal: bool = False) -> None:
        plt = self.plt
        plt.clear_figure()
        plt.title(title)
        if not any(values):  # nothing to draw: no empty axes that would read as zero
            self.display = False
            return
        self.display = True
        if horizontal:  # the value in the label: text beside a long bar would be cut off
            plt.bar([f"{label} ({value})" for label, value in zip(labels, values, strict=True)],
                    list(values), orientation="horizontal", marker="hd")
        elif values:
            plt.bar(list(labels), list(values), marker="hd")
            for x, value in enumerate(values, start=1):  # each value above its bar
                plt.text(str(value), x=x, y=value, alignment="center")
        self.refresh()
