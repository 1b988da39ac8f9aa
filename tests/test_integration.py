"""The model among scikit-learn's tools: clone, params, pickle, Pipeline, search."""

import io
import pickle

import numpy as np
import pytest
import sklearn
from sklearn.base import clone
from sklearn.model_selection import (
    GridSearchCV,
    KFold,
    TimeSeriesSplit,
    cross_val_score,
)
from sklearn.pipeline import make_pipeline
from sklearn.preprocessing import StandardScaler

from sk_seq2seq import (
    NaiveForecaster,
    Seq2SeqRegressor,
    SeriesWindower,
    make_sine_cosine,
)

FAST = {"max_epochs": 3, "random_state": 0}


@pytest.fixture(scope="module")
def history():
    """Two long univariate series, (2, 200)."""
    return make_sine_cosine(2, 200, random_state=0)[:, :, 0]


class TestParams:
    def test_clone_keeps_params_and_drops_the_fit(self, windows):
        model = Seq2SeqRegressor(hidden_dim=5, **FAST).fit(*windows)
        copy = clone(model)
        assert copy.get_params() == model.get_params()
        assert not hasattr(copy, "net_")
        np.testing.assert_array_equal(
            copy.fit(*windows).predict(windows[0]), model.predict(windows[0])
        )

    def test_set_params_then_refit_changes_the_module(self, windows):
        # "steps", trained every epoch: its forecast depends on hidden_dim
        # ("segments" may keep its linear start, the same for any hidden_dim)
        model = Seq2SeqRegressor(
            hidden_dim=5, recipe="steps", train_split=None, **FAST
        ).fit(*windows)
        assert model.net_.module_.encoder.hidden_size == 5
        before = model.predict(windows[0])
        model.set_params(hidden_dim=9).fit(*windows)
        assert model.net_.module_.encoder.hidden_size == 9
        assert not np.allclose(model.predict(windows[0]), before)


class TestPickle:
    def test_round_trip_gives_identical_predictions(self, windows):
        model = Seq2SeqRegressor(**FAST).fit(*windows)
        loaded = pickle.loads(pickle.dumps(model))
        np.testing.assert_array_equal(
            model.predict(windows[0]), loaded.predict(windows[0])
        )


class TestPipeline:
    def test_with_a_scaler_step_on_2d_windows(self, windows):
        X, y = windows[0][:, :, 0], windows[1][:, :, 0]
        pipe = make_pipeline(StandardScaler(), Seq2SeqRegressor(**FAST)).fit(X, y)
        assert pipe.predict(X[:4]).shape == (4, 15)

    @pytest.mark.parametrize(
        "shape", [(200,), (2, 200), (2, 200, 1)], ids=["1d", "2d", "3d"]
    )
    def test_raw_history_forecasts_what_follows(self, history, shape):
        series = history[: shape[0] if len(shape) > 1 else 1].reshape(shape)
        pipe = make_pipeline(
            SeriesWindower(n_past=15, n_future=15),
            Seq2SeqRegressor(train_split=None, **FAST),  # no validation windows
        )
        pipe.fit(series)
        n_series = 1 if len(shape) == 1 else shape[0]
        trained_on = sum(b["train_batch_size"] for b in pipe[-1].history_[0, "batches"])
        # every 30-step window, but each series' last tenth calibrating the
        # intervals and the 14 before them, whose futures overlap those
        per_series = 200 - 30 + 1
        assert trained_on == n_series * (per_series - per_series // 10 - 14)
        assert pipe[-1].n_past_ == 15
        assert pipe.predict(series).shape == (n_series, 15, 1)

    def test_forecast_is_from_the_end_of_each_series(self, history):
        pipe = make_pipeline(SeriesWindower(), Seq2SeqRegressor(**FAST)).fit(history)
        direct = pipe[-1].predict(history[:, -15:])
        np.testing.assert_array_equal(pipe.predict(history), direct)

    def test_disagreeing_n_future_is_refused_before_training(self, history):
        pipe = make_pipeline(
            SeriesWindower(n_past=15, n_future=10),
            Seq2SeqRegressor(n_future=15, **FAST),
        )
        with pytest.raises(
            ValueError,
            match=r"cut by SeriesWindower\(n_future=10\), but "
            r"Seq2SeqRegressor\(n_future=15\).*Set the same n_future in both",
        ):
            pipe.fit(history)
        assert not hasattr(pipe[-1], "net_")


class TestSearch:
    def test_grid_search_agrees_with_direct_fits_on_3d_windows(self, windows):
        X, y = windows
        grid = [2, 12]
        search = GridSearchCV(
            Seq2SeqRegressor(**FAST), {"hidden_dim": grid}, cv=KFold(3)
        ).fit(X, y)
        # each candidate's score is the mean over the folds of a model fitted
        # on the other folds, which is what fitting each fold by hand gives
        direct = [
            np.mean(
                [
                    Seq2SeqRegressor(hidden_dim=width, **FAST)
                    .fit(X[train], y[train])
                    .score(X[test], y[test])
                    for train, test in KFold(3).split(X)
                ]
            )
            for width in grid
        ]
        np.testing.assert_allclose(search.cv_results_["mean_test_score"], direct)
        assert direct[0] != direct[1]
        assert search.best_params_ == {"hidden_dim": grid[np.argmax(direct)]}
        refit = Seq2SeqRegressor(hidden_dim=grid[np.argmax(direct)], **FAST)
        np.testing.assert_array_equal(
            search.predict(X[:5]), refit.fit(X, y).predict(X[:5])
        )

    def test_time_series_split_with_a_gap_on_windows_of_one_series(self, history):
        windows = SeriesWindower().fit_transform(history[0])
        X, y = windows[:, :15], windows[:, 15:]
        cv = TimeSeriesSplit(n_splits=2, gap=15 + 15 - 1)
        scores = cross_val_score(Seq2SeqRegressor(**FAST), X, y, cv=cv)
        assert scores.shape == (2,) and np.isfinite(scores).all()


class TestGlobalConfiguration:
    """scikit-learn's global settings do not reach the model's internals."""

    def test_pandas_transform_output(self, windows):
        X, y = windows
        plain = Seq2SeqRegressor(**FAST).fit(X, y)
        buffer = io.BytesIO()
        plain.save(buffer)
        with sklearn.config_context(transform_output="pandas"):
            model = Seq2SeqRegressor(**FAST).fit(X, y)
            np.testing.assert_array_equal(model.predict(X), plain.predict(X))
            buffer.seek(0)
            loaded = Seq2SeqRegressor.load(buffer)
            np.testing.assert_array_equal(loaded.predict(X), plain.predict(X))


class TestSettingsSaidOnce:
    """The horizon and the feature roles are said to the windower only."""

    @pytest.mark.parametrize("model", [Seq2SeqRegressor(**FAST), NaiveForecaster()])
    def test_the_model_reads_the_horizon_from_the_windows(self, history, model):
        pipe = make_pipeline(SeriesWindower(n_past=12, n_future=5), model)
        assert pipe.fit(history).predict(history).shape == (2, 5, 1)
        assert pipe[-1].n_future_ == 5

    @pytest.mark.parametrize("model", [Seq2SeqRegressor(**FAST), NaiveForecaster()])
    def test_joined_arrays_without_a_horizon_are_refused(self, history, model):
        joined = np.asarray(
            SeriesWindower(n_past=12, n_future=5).fit_transform(history)
        )
        with pytest.raises(ValueError, match="no n_future says how many"):
            model.fit(joined)
        assert model.set_params(n_future=5).fit(joined).n_future_ == 5

    def test_targets_said_to_the_windower(self):
        history = np.random.default_rng(0).normal(size=(1, 80, 3)).cumsum(axis=1)
        pipe = make_pipeline(
            SeriesWindower(n_past=8, n_future=4, target_features=[1]),
            Seq2SeqRegressor(**FAST),
        ).fit(history)
        assert pipe[-1].target_index_ == [1]
        assert pipe.predict(history).shape == (1, 4, 1)
