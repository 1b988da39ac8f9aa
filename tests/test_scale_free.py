"""The default model is scale-free on panels: each series in its own units.

Multiplying one series of a panel by 1e4 must leave the forecasts of the
others alone (within 1 % of their spread) and multiply its own forecast by
1e4 (within 1 %): every series counts in the loss whatever its level, and no
scaler shared across series turns the small ones into float32 noise. (Windows
shorter than 48 steps keep the "steps" recipe where it validates far better,
as on the tutorial's curves; that recipe is not scale-free.)
"""

import numpy as np
import pytest
from sklearn.pipeline import make_pipeline

from sk_seq2seq import Seq2SeqRegressor, SeriesWindower

# windows of 48 steps or more get the segments recipe, the scale-free one
N_PAST, N_FUTURE = 48, 8


def make_panel():
    """Four series of 200 steps at levels 1 to 1e3, a cycle of 12, noise."""
    rng = np.random.default_rng(0)
    t = np.arange(200)
    levels = np.array([1.0, 10.0, 100.0, 1000.0])[:, None]
    cycle = 0.3 * np.sin(2 * np.pi * t / 12 + rng.uniform(0, 6, (4, 1)))
    return levels * (1 + cycle + 0.05 * rng.standard_normal((4, 200)))


def forecast(panel):
    pipe = make_pipeline(
        SeriesWindower(n_past=N_PAST, n_future=N_FUTURE),
        Seq2SeqRegressor(n_future=N_FUTURE, max_steps=30, random_state=0),
    )
    return pipe.fit(list(panel)).predict(list(panel))[:, :, 0]


@pytest.fixture(scope="module")
def forecasts():
    panel = make_panel()
    scaled = panel.copy()
    scaled[0] *= 1e4
    return panel, forecast(panel), forecast(scaled)


def test_other_series_are_unchanged(forecasts):
    panel, before, after = forecasts
    spread = panel[1:].std(axis=1, keepdims=True)
    assert np.abs(after[1:] - before[1:]).max(axis=1).max() <= 0.01 * spread.min()


def test_scaled_series_forecast_is_scaled(forecasts):
    panel, before, after = forecasts
    np.testing.assert_allclose(after[0], 1e4 * before[0], rtol=0.01)
