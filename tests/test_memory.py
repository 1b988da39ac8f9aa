"""Bounded memory: training windows stay lazy until a batch is drawn."""

import math
import subprocess
import sys
import tracemalloc
from pathlib import Path

import numpy as np
import pytest
from numpy.lib.stride_tricks import sliding_window_view
from sklearn.model_selection import train_test_split
from sklearn.pipeline import make_pipeline

from sk_seq2seq import Seq2SeqRegressor, SeriesWindower

TINY = {"hidden_dim": 4, "num_layers": 1, "random_state": 0}


def materialised(series_list, length, step):
    """Every window of every series, stacked, the eager way."""
    return np.concatenate(
        [
            sliding_window_view(series, length, axis=0)[::step].transpose(0, 2, 1)
            for series in series_list
        ]
    )


def random_walks(n_series, n_steps, n_features=1, seed=0):
    rng = np.random.default_rng(seed)
    return rng.normal(size=(n_series, n_steps, n_features)).cumsum(axis=1)


HISTORIES = {
    "one series": (np.arange(50.0), 1),
    "many series": (random_walks(3, 40, 2), 1),
    "step 3": (random_walks(3, 40, 2), 3),
    "unequal list": ([random_walks(1, n, 2)[0] for n in (30, 41, 35)], 2),
}


@pytest.fixture(scope="module", params=list(HISTORIES), ids=list(HISTORIES))
def lazy_and_eager(request):
    history, step = HISTORIES[request.param]
    windows = SeriesWindower(n_past=5, n_future=3, step=step).fit_transform(history)
    if isinstance(history, list):
        series_list = history
    elif np.ndim(history) == 1:
        series_list = [history[:, np.newaxis]]
    else:
        series_list = list(history)
    return windows, materialised(series_list, 8, step)


class TestWindowsIndexLikeTheArray:
    def test_shape_dtype_and_length(self, lazy_and_eager):
        windows, eager = lazy_and_eager
        assert windows.shape == eager.shape and windows.ndim == 3
        assert len(windows) == len(eager) and windows.dtype == eager.dtype

    def test_asarray_materialises_every_window(self, lazy_and_eager):
        windows, eager = lazy_and_eager
        np.testing.assert_array_equal(np.asarray(windows), eager)
        assert np.asarray(windows, dtype=np.float32).dtype == np.float32

    @pytest.mark.parametrize(
        "key",
        [
            0,
            -1,
            np.int64(2),
            slice(None),
            slice(1, None, 4),
            slice(-3, None),
            [4, 0, -2, 4],
            np.array([[1, 2], [3, 0]]),
            (slice(None), slice(5, None)),
            (2, slice(None), 0),
            ([1, 3], -1),
            (Ellipsis, 0),
            [],
        ],
        ids=repr,
    )
    def test_indexing(self, lazy_and_eager, key):
        windows, eager = lazy_and_eager
        np.testing.assert_array_equal(windows[key], eager[key])

    def test_boolean_mask(self, lazy_and_eager):
        windows, eager = lazy_and_eager
        mask = np.arange(len(eager)) % 3 == 0
        np.testing.assert_array_equal(windows[mask], eager[mask])

    def test_scikit_learn_splits_it_like_the_array(self, lazy_and_eager):
        windows, eager = lazy_and_eager
        for lazy, eager_part in zip(
            train_test_split(windows, shuffle=False),
            train_test_split(eager, shuffle=False),
        ):
            np.testing.assert_array_equal(lazy, eager_part)


@pytest.fixture(scope="module")
def ten_steps():
    return SeriesWindower(n_past=3, n_future=2).fit_transform(np.arange(10.0))


class TestWindowsErrors:
    def test_out_of_range(self, ten_steps):
        with pytest.raises(IndexError, match="out of range: there are 6 windows"):
            ten_steps[6]
        with pytest.raises(IndexError, match="out of range"):
            ten_steps[[0, -7]]

    def test_float_index(self, ten_steps):
        with pytest.raises(IndexError, match="not float64 values"):
            ten_steps[np.array([0.5])]

    def test_mask_of_another_length(self, ten_steps):
        with pytest.raises(IndexError, match=r"must have shape \(6,\)"):
            ten_steps[np.ones(5, dtype=bool)]

    def test_no_array_without_a_copy(self, ten_steps):
        with pytest.raises(ValueError, match="without copying"):
            np.asarray(ten_steps, copy=False)

    def test_read_only(self, ten_steps):
        with pytest.raises(ValueError, match="read-only"):
            ten_steps[0] = 1.0

    def test_repr_gives_the_materialised_size(self):
        windows = SeriesWindower(n_past=336, n_future=96).fit_transform(
            np.zeros((300, 26_000), dtype=np.float32)
        )
        assert repr(windows).startswith(
            "<Windows of shape (7670700, 432, 1), float32, from 300 series: "
            "12.3 GiB if materialised"
        )

    def test_integer_series_become_float(self):
        windows = SeriesWindower(n_past=2, n_future=1).fit_transform(np.arange(6))
        assert windows.dtype == np.float64 and windows[0].dtype == np.float64


@pytest.fixture(scope="module")
def history():
    return random_walks(4, 300, 2, seed=1)


@pytest.fixture(scope="module")
def pipe(history):
    return make_pipeline(
        SeriesWindower(n_past=12, n_future=4),
        Seq2SeqRegressor(n_future=4, max_steps=3, batch_size=32, **TINY),
    ).fit(history)


class TestLazyFit:
    def test_forecasts_the_end_of_every_series(self, pipe, history):
        forecast = pipe.predict(history)
        assert forecast.shape == (4, 4, 2) and np.isfinite(forecast).all()

    def test_same_random_state_same_forecast(self, pipe, history):
        again = make_pipeline(
            SeriesWindower(n_past=12, n_future=4),
            Seq2SeqRegressor(n_future=4, max_steps=3, batch_size=32, **TINY),
        ).fit(history)
        np.testing.assert_array_equal(again.predict(history), pipe.predict(history))

    @pytest.mark.parametrize(
        "roles",
        [{}, {"target_features": [0], "future_features": [1]}],
        ids=["all targets", "a known future feature"],
    )
    def test_trains_on_the_same_windows_as_the_array(self, history, roles):
        # one series: an array of windows is one series in the order given
        known = roles.get("future_features")
        windower = SeriesWindower(n_past=12, n_future=4, future_features=known)
        windows = windower.fit_transform(history[:1])
        # "steps": no per-series scale, which "segments" gives a series of
        # lazy windows and not an array's rows
        params = {"n_future": 4, "max_epochs": 2, "recipe": "steps", **roles, **TINY}
        lazy = Seq2SeqRegressor(**params).fit(windows)
        eager = Seq2SeqRegressor(**params).fit(np.asarray(windows))
        X = np.asarray(windows[::97, : lazy.n_features_in_])
        np.testing.assert_allclose(lazy.predict(X), eager.predict(X), atol=1e-6)
        np.testing.assert_allclose(
            lazy.calibration_residuals_, eager.calibration_residuals_, atol=1e-6
        )
        for name in ("x_scaler_", "y_scaler_"):
            for stat in ("mean_", "scale_"):
                np.testing.assert_allclose(
                    getattr(getattr(lazy, name), stat),
                    getattr(getattr(eager, name), stat),
                    rtol=1e-12,
                )

    def test_scalers_learn_the_training_windows_statistics(self, history):
        # "steps" centres the targets ("segments" only divides them); no
        # validation windows, so every window before the calibration trains
        lazy = SeriesWindower(n_past=12, n_future=4).fit_transform(history)
        model = Seq2SeqRegressor(
            n_future=4,
            max_steps=3,
            batch_size=32,
            recipe="steps",
            train_split=None,
            **TINY,
        ).fit(lazy)
        windows = np.asarray(lazy)
        # the pasts of the windows that trained: not each series' 28 most
        # recent windows (a tenth of its 285, to calibrate) nor the
        # n_future - 1 before them
        per_series = windows.reshape(4, 285, 16, 2)
        pasts = per_series[:, : 285 - 28 - 3, :12].reshape(-1, 2)
        np.testing.assert_allclose(model.x_scaler_.mean_, pasts.mean(axis=0))
        np.testing.assert_allclose(model.y_scaler_.scale_, pasts.std(axis=0))

    def test_target_features_pick_the_future(self, history):
        model = Seq2SeqRegressor(n_future=4, max_steps=2, target_features=[1], **TINY)
        pipe = make_pipeline(SeriesWindower(n_past=12, n_future=4), model)
        assert pipe.fit(history).predict(history).shape == (4, 4, 1)

    def test_series_changed_to_nan_after_windowing(self):
        series = np.arange(100.0)
        windows = SeriesWindower(n_past=5, n_future=3).fit_transform(series)
        series[90] = np.nan  # the windows are views of the series
        with pytest.raises(ValueError, match="The series hold 1 NaN or infinite"):
            Seq2SeqRegressor(n_future=3, **TINY).fit(windows)


@pytest.fixture(scope="module")
def windows(history):
    # 4 * (300 - 16 + 1) = 1140 windows
    return SeriesWindower(n_past=12, n_future=4).fit_transform(history)


def batches(model):
    return list(model.history_[:, "train_batch_count"])


class TestEpoch:
    def test_many_windows_make_one_epoch_of_max_steps(self, windows):
        model = Seq2SeqRegressor(n_future=4, max_steps=5, batch_size=16, **TINY)
        assert batches(model.fit(windows)) == [5]

    def test_with_a_validation_fraction(self, windows):
        model = Seq2SeqRegressor(
            n_future=4, max_steps=5, batch_size=16, train_split=0.25, **TINY
        ).fit(windows)
        assert batches(model) == [5]
        assert model.history_[-1, "valid_batch_count"] >= 1

    def test_few_windows_are_all_seen_every_epoch(self, windows):
        model = Seq2SeqRegressor(
            n_future=4,
            max_steps=40,
            batch_size=256,
            calibration=None,
            train_split=None,
            **TINY,
        )
        assert batches(model.fit(windows)) == [5] * 8  # ceil(1140 / 256) = 5

    def test_max_epochs_passes_over_every_training_window(self, windows):
        model = Seq2SeqRegressor(n_future=4, max_epochs=1, batch_size=256, **TINY)
        # each series' 285 windows - 28 to calibrate - the 3 before them:
        # 4 * 254 = 1016 windows, 4 batches
        assert batches(model.fit(windows)) == [4]
        assert len(model.calibration_residuals_) == 4 * 28

    def test_sampled_training_samples_the_calibration_windows_alike(self, windows):
        model = Seq2SeqRegressor(
            n_future=4, max_steps=5, batch_size=16, train_split=None, **TINY
        )
        model.fit(windows)
        # 80 of 1016 training windows drawn: ceil(112 * 80 / 1016) = 9
        assert model.calibration_residuals_.shape == (9, 4, 2)
        low, high = model.predict_interval(windows[:3, :12])
        assert low.shape == high.shape == (3, 4, 2) and (low <= high).all()

    def test_partial_fit_trains_one_epoch_of_the_sample(self, windows):
        model = Seq2SeqRegressor(n_future=4, max_steps=3, batch_size=16, **TINY)
        model.partial_fit(windows).partial_fit(windows)
        assert batches(model) == [3, 3]


def test_fitting_never_holds_all_windows():
    history = random_walks(16, 3000, seed=2)
    pipe = make_pipeline(
        SeriesWindower(n_past=96, n_future=32),
        Seq2SeqRegressor(n_future=32, max_steps=2, batch_size=64, **TINY),
    )
    windows = SeriesWindower(n_past=96, n_future=32).fit_transform(history)
    all_windows = math.prod(windows.shape) * windows.dtype.itemsize  # 47 MB
    del windows
    pipe.fit(history[:2, :500])  # first fits import modules: tens of MB traced
    tracemalloc.start()
    try:
        forecast = pipe.fit(history).predict(history)
        peak = tracemalloc.get_traced_memory()[1]
    finally:
        tracemalloc.stop()
    assert forecast.shape == (16, 32, 1)
    assert peak < all_windows / 10, f"peak {peak / 1e6:.1f} MB"


def test_benchmark_smoke_run():
    script = Path(__file__).resolve().parents[1] / "benchmarks" / "memory.py"
    done = subprocess.run(
        [sys.executable, str(script), "--quick"],
        capture_output=True,
        text=True,
        timeout=300,
        check=False,
    )
    assert done.returncode == 0, done.stderr
    assert "windows of 432 steps" in done.stdout and "Peak: **" in done.stdout


@pytest.mark.parametrize("shuffle", [False, True])
def test_batches_taken_in_one_indexing_are_torchs_batches(shuffle):
    # batch_loader hands the dataset each batch's indices at once; the
    # batches must be those torch's DataLoader stacks window by window
    import torch

    from sk_seq2seq._net import batch_loader
    from sk_seq2seq._training_data import WindowDataset

    rng = np.random.default_rng(0)
    series = [rng.normal(size=(n, 2)) for n in (40, 25, 33)]
    windows = SeriesWindower(n_past=6, n_future=3).fit_transform(series)
    dataset = torch.utils.data.Subset(
        WindowDataset(windows, 6, 3, [0], future_index=[1]),
        np.arange(0, len(windows), 2),
    )
    torch.manual_seed(0)
    ours = list(batch_loader(dataset, 8, shuffle=shuffle))
    torch.manual_seed(0)
    torchs = list(torch.utils.data.DataLoader(dataset, 8, shuffle=shuffle))
    assert len(ours) == len(torchs) > 1
    for (x, y), (x0, y0) in zip(ours, torchs):
        for key in ("past", "future_covariates"):
            torch.testing.assert_close(x[key], x0[key], rtol=0, atol=0)
        torch.testing.assert_close(y, y0, rtol=0, atol=0)
