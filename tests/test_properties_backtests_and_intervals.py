"""Random backtests, intervals, forecast rows and scores: right, or a clear error.

The kinds of input issue 23 found silent wrong results in, drawn at random:
column names (strings, numbers, ``MultiIndex`` tuples) and time indexes in any
order for ``backtest``; coverages down to the smallest float; forecast periods
of any number of rows; frames with missing values for ``backtest_summary``;
joined windows for the scorers. Each property checks the result against what
it must be (the labels against the values they label), not only its shape.
"""

import numpy as np
import pandas as pd
import pytest
from hypothesis import HealthCheck, event, given, settings
from hypothesis import strategies as st

from sk_seq2seq import (
    NaiveForecaster,
    Seq2SeqRegressor,
    SeriesWindower,
    backtest,
    backtest_summary,
    make_window_scorer,
)

SETTINGS = settings(
    max_examples=60,
    deadline=None,
    suppress_health_check=[HealthCheck.too_slow, HealthCheck.data_too_large],
)
N_PAST, N_FUTURE = 3, 2


@st.composite
def labelled_histories(draw):
    """A DataFrame history with drawn column labels and time index."""
    n_features = draw(st.integers(1, 3))
    n_timesteps = draw(st.integers(9, 14))
    kind = draw(st.sampled_from(["text", "numbers", "tuples"]))
    if kind == "text":
        labels = draw(
            st.lists(
                st.text("abcd", min_size=1, max_size=3),
                min_size=n_features,
                max_size=n_features,
                unique=True,
            )
        )
        columns = pd.Index(labels)
    elif kind == "numbers":
        columns = pd.Index(draw(st.permutations(range(n_features))))
    else:
        inner = draw(st.permutations(["a", "b", "c"]))[:n_features]
        columns = pd.MultiIndex.from_tuples([("x", name) for name in inner])
    order = draw(st.sampled_from(["increasing", "increasing", "shuffled", "repeated"]))
    days = pd.date_range("2024-01-01", periods=n_timesteps, freq="D")
    if order == "shuffled":
        days = days[draw(st.permutations(range(n_timesteps)))]
    elif order == "repeated":
        days = days.insert(1, days[0])[:n_timesteps]
    values = np.arange(n_timesteps * n_features, dtype=float).reshape(n_features, -1).T
    values = values + 100.0 * np.arange(n_features)  # each column its own level
    return pd.DataFrame(values, index=days, columns=columns)


@SETTINGS
@given(data=st.data())
def test_backtest_labels_each_forecast_with_its_feature(data):
    history = data.draw(labelled_histories())
    n_features = history.shape[1]
    chosen = data.draw(
        st.lists(
            st.integers(0, n_features - 1), min_size=1, max_size=n_features, unique=True
        )
    )
    by_name = data.draw(st.booleans())
    listed = [history.columns[i] for i in chosen] if by_name else chosen
    told = data.draw(st.sampled_from(["same", "none", "other"]))
    own = {"same": chosen, "none": None, "other": chosen[::-1]}[told]
    model = NaiveForecaster(target_features=own)
    start = len(history) - N_FUTURE - data.draw(st.integers(0, 2))
    try:
        frame = backtest(
            model, history, N_PAST, N_FUTURE, start=start, target_features=listed
        )
    except ValueError as error:
        event(str(error)[:40])
        message = str(error)
        assert (
            "time" in message  # an index out of order or repeated
            or "disagrees with backtest's target_features" in message
            or "cannot tell which features the targets are" in message
            or ("must list indices" in message and not by_name)
        ), message
        return
    event("backtested")
    assert history.index.is_monotonic_increasing and history.index.is_unique
    positions = {label: i for i, label in enumerate(history.columns)}
    rows = history.index.get_indexer(frame["origin"]) + frame["step"] - 1
    columns = frame["target"].map(positions)
    np.testing.assert_array_equal(frame["actual"], history.to_numpy()[rows, columns])
    # the last value before the origin, of the labelled feature
    last = history.index.get_indexer(frame["origin"]) - 1
    np.testing.assert_array_equal(frame["forecast"], history.to_numpy()[last, columns])


@pytest.fixture(scope="module")
def naive():
    walks = np.random.default_rng(0).normal(size=(40, 6)).cumsum(axis=1)
    return NaiveForecaster(n_future=2).fit(walks), walks[:3, :4]


coverages = st.one_of(
    st.floats(0, 1, exclude_min=True, exclude_max=True),
    st.sampled_from([5e-324, 1e-300, 1e-12, 1e-9, 1 - 1e-16, 0.5]),
)


@SETTINGS
@given(coverage=st.lists(coverages, min_size=2, max_size=4))
def test_widths_never_shrink_as_coverage_grows(naive, coverage):
    model, X = naive
    widths = []
    for value in sorted(coverage):
        try:
            lower, upper = model.predict_interval(X, coverage=value)
        except ValueError as error:  # too few windows for this coverage
            assert "calibration windows are too few" in str(error)
            event("too few windows")
            break
        widths.append(upper - lower)
    for narrower, wider in zip(widths, widths[1:]):
        assert (wider >= narrower - 1e-12).all()
    if widths:
        # never narrower than the smallest residual, in units of each
        # window's scale (bounds carry float error)
        relative = model.calibration_residuals_ / model.calibration_scales_[:, None]
        scale = np.abs(np.diff(X, axis=1)).mean(axis=1)[:, None, None]
        smallest = 2 * np.abs(relative).min(axis=0) * scale
        assert (widths[0] >= smallest - 1e-9).all()


@pytest.fixture(scope="module")
def known_future():
    t = np.arange(60.0)
    history = np.stack([np.sin(t / 4), np.cos(t / 7)], axis=1)
    model = Seq2SeqRegressor(
        n_future=N_FUTURE,
        target_features=[0],
        future_features=[1],
        hidden_dim=2,
        num_layers=1,
        max_epochs=1,
        random_state=0,
    )
    joined = np.lib.stride_tricks.sliding_window_view(history, (N_PAST + N_FUTURE, 2))
    return model.fit(joined[:, 0]), history


@SETTINGS
@given(n_rows=st.integers(0, 4), filled=st.lists(st.booleans(), max_size=4))
def test_a_forecast_period_of_any_number_of_rows(known_future, n_rows, filled):
    """Only a forecast period of 0 or n_future blank rows is read.

    A forecast row is blank where a feature is not known in advance (NaN), or
    filled with a value there (not read). Some blank rows among the last
    n_future are a history followed by too few forecast rows; blank rows
    before them, too many: both refused.
    """
    model, history = known_future
    rows = np.full((n_rows, 2), np.nan)
    rows[:, 1] = 0.5
    for row, fill in zip(rows, filled):
        if fill:
            row[0] = 1.0
    window = np.concatenate([history, rows])[-(N_PAST + N_FUTURE) :][np.newaxis]
    blank = np.isnan(window[0, :, 0])
    readable = not blank[:N_PAST].any() and blank[N_PAST:].sum() in (0, N_FUTURE)
    try:
        forecast = model.predict(window)
    except ValueError as error:
        event(str(error)[:30])
        assert "forecast row" in str(error) or "NaN in the past" in str(error)
        assert not readable
        return
    event(f"{n_rows} rows, {blank.sum()} blank")
    assert readable
    assert forecast.shape == (1, N_FUTURE, 1)
    if not any(filled[:n_rows]):  # the case: only blank rows appended
        assert n_rows in (0, N_FUTURE)


@SETTINGS
@given(
    holes=st.lists(
        st.sampled_from(["actual", "lower", "upper", "none"]), min_size=20, max_size=20
    ),
    without=st.booleans(),
)
def test_summary_leaves_missing_values_out(holes, without):
    history = np.random.default_rng(1).normal(size=14).cumsum()
    frame = backtest(
        NaiveForecaster(), history, N_PAST, N_FUTURE, start=5, coverage=0.5
    ).head(20)
    holed = frame.copy()
    for row, column in enumerate(holes[: len(frame)]):
        if column != "none":
            holed.loc[row, column] = np.nan
    if without:  # a model without intervals, concatenated
        holed.loc[:, ["lower", "upper"]] = np.nan
    summary = backtest_summary(holed)
    seen = holed.dropna(subset=["actual"])
    for (target, step), scores in summary.iterrows():
        rows = seen[(seen["target"] == target) & (seen["step"] == step)]
        error = rows["actual"] - rows["forecast"]
        assert scores["mae"] == pytest.approx(error.abs().mean(), nan_ok=True)
        bounded = rows.dropna(subset=["lower", "upper"])
        if bounded.empty:
            assert np.isnan(scores["coverage"]) and np.isnan(scores["mean_width"])
            event("no bounds")
        else:
            inside = bounded["actual"].between(bounded["lower"], bounded["upper"])
            assert scores["coverage"] == pytest.approx(inside.mean())


@SETTINGS
@given(
    lengths=st.lists(st.integers(6, 12), min_size=1, max_size=3),
    n_features=st.integers(1, 3),
    metric=st.sampled_from(["mse", "rmse", "mae", "r2"]),
    seed=st.integers(0, 3),
)
def test_scorers_split_joined_windows_as_fit_does(lengths, n_features, metric, seed):
    """Joined windows of several series (lazy Windows) score as (past, future)."""
    rng = np.random.default_rng(seed)
    series = [rng.normal(size=(n, n_features)) for n in lengths]
    joined = SeriesWindower(N_PAST + 1, N_FUTURE).fit_transform(
        series if len(set(lengths)) > 1 else np.stack(series)
    )
    model = NaiveForecaster(n_future=N_FUTURE).fit(joined)
    scorer = make_window_scorer(metric)
    windows = np.asarray(joined)
    past, future = windows[:, :-N_FUTURE], windows[:, -N_FUTURE:]
    event(f"{joined.n_series} series, {len(joined)} windows")
    assert scorer(model, joined) == pytest.approx(scorer(model, past, future))
    assert model.score(joined) == pytest.approx(model.score(past, future))
