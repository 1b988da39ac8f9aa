"""Sequence-to-sequence neural forecasting for scikit-learn."""

from ._backtest import backtest, backtest_summary
from ._datasets import make_sine_cosine
from ._forecast_frame import forecast
from ._module import Seq2SeqModule
from ._naive import NaiveForecaster
from ._plotting import plot_forecast, plot_loss_curves, plot_predictions
from ._regressor import Seq2SeqRegressor
from ._scorers import make_window_scorer
from ._windower import SeriesWindower, future_index

__version__ = "0.1.0"

__all__ = [
    "NaiveForecaster",
    "Seq2SeqModule",
    "Seq2SeqRegressor",
    "SeriesWindower",
    "__version__",
    "backtest",
    "backtest_summary",
    "forecast",
    "future_index",
    "make_sine_cosine",
    "make_window_scorer",
    "plot_forecast",
    "plot_loss_curves",
    "plot_predictions",
]
