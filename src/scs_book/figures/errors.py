"""The error every figure helper raises for a chart the book will not show."""


class ChartError(ValueError):
    """A chart is incomplete (no footer, no description) or its data cannot be drawn."""
