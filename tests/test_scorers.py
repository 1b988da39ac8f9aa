"""Scoring windows in model selection: score(X) without y, make_window_scorer.

Issue 23, unclear errors 5 and 6: searches over joined windows fitted without
y gave all-NaN scores, and scikit-learn's scorers refuse 3-D futures.
"""

import warnings

import numpy as np
import pytest
from sklearn.metrics import mean_absolute_error, mean_squared_error, r2_score
from sklearn.model_selection import GridSearchCV, TimeSeriesSplit, cross_val_score
from sklearn.pipeline import make_pipeline
from sklearn.preprocessing import FunctionTransformer

from sk_seq2seq import (
    NaiveForecaster,
    Seq2SeqRegressor,
    make_sine_cosine,
    make_window_scorer,
)

N_FUTURE = 4
TINY = dict(hidden_dim=3, num_layers=1, max_epochs=2, random_state=0)
CV = TimeSeriesSplit(3, gap=11)


@pytest.fixture(scope="module")
def joined():
    """Joined windows (60, 12, 2): 8 past steps, 4 future, 2 features."""
    curves = make_sine_cosine(60, 13, random_state=0)
    return np.concatenate([curves[:, 1:], curves[:, :-1]], axis=2)


@pytest.fixture(scope="module")
def fitted(joined):
    return Seq2SeqRegressor(n_future=N_FUTURE, **TINY).fit(joined)


class TestScoreWithoutY:
    def test_joined_windows_score_as_past_and_future(self, joined, fitted):
        past, future = joined[:, :-N_FUTURE], joined[:, -N_FUTURE:]
        assert fitted.score(joined) == pytest.approx(fitted.score(past, future))

    def test_with_known_future_features(self, joined):
        model = Seq2SeqRegressor(
            n_future=N_FUTURE, target_features=[0], future_features=[1], **TINY
        ).fit(joined)
        future = joined[:, -N_FUTURE:, :1]
        expected = r2_score(future.ravel(), model.predict(joined).ravel())
        assert model.score(joined) == pytest.approx(expected)

    def test_past_windows_without_y_say_what_is_missing(self, joined, fitted):
        with pytest.raises(ValueError, match="X has 8 time steps, not the n_past"):
            fitted.score(joined[:, :-N_FUTURE])

    def test_targets_outside_x(self, joined):
        past, future = joined[:, :-N_FUTURE], joined[:, -N_FUTURE:, :1]
        model = Seq2SeqRegressor(**TINY).fit(past, future)  # which feature is y?
        with pytest.raises(ValueError, match="targets are not among X's features"):
            model.score(joined)

    def test_a_search_without_y_scores_every_fold(self, joined):
        search = GridSearchCV(
            NaiveForecaster(n_future=N_FUTURE),
            {"strategy": ["last", "mean", "drift"]},
            cv=CV,
        )
        with warnings.catch_warnings():
            warnings.simplefilter("error")  # no "scores are NaN" warning
            search.fit(joined)
        past, future = joined[:, :-N_FUTURE], joined[:, -N_FUTURE:]
        with_y = [
            cross_val_score(NaiveForecaster(strategy), past, future, cv=CV).mean()
            for strategy in ("last", "mean", "drift")
        ]
        np.testing.assert_allclose(search.cv_results_["mean_test_score"], with_y)


class TestMakeWindowScorer:
    @pytest.mark.parametrize(
        "metric, expected",
        [
            ("mse", lambda t, p: -mean_squared_error(t, p)),
            ("rmse", lambda t, p: -np.sqrt(mean_squared_error(t, p))),
            ("mae", lambda t, p: -mean_absolute_error(t, p)),
            ("r2", r2_score),
        ],
    )
    def test_scores_every_value_of_3d_futures(self, joined, fitted, metric, expected):
        past, future = joined[:, :-N_FUTURE], joined[:, -N_FUTURE:]
        scorer = make_window_scorer(metric)
        flat = future.ravel(), fitted.predict(past).ravel()
        assert scorer(fitted, past, future) == pytest.approx(expected(*flat))
        assert scorer(fitted, joined) == pytest.approx(expected(*flat))

    def test_cross_validation_over_joined_windows(self, joined):
        scores = cross_val_score(
            Seq2SeqRegressor(n_future=N_FUTURE, **TINY),
            joined,
            scoring=make_window_scorer("mse"),
            cv=CV,
        )
        assert np.isfinite(scores).all() and (scores < 0).all()

    def test_a_search_with_y_and_3d_futures(self, joined):
        past, future = joined[:, :-N_FUTURE], joined[:, -N_FUTURE:]
        search = GridSearchCV(
            NaiveForecaster(),
            {"strategy": ["last", "drift"]},
            scoring={"mae": make_window_scorer("mae"), "r2": make_window_scorer("r2")},
            refit="mae",
            cv=CV,
        ).fit(past, future)
        assert np.isfinite(search.cv_results_["mean_test_mae"]).all()

    def test_sample_weight(self, joined, fitted):
        past, future = joined[:, :-N_FUTURE], joined[:, -N_FUTURE:]
        weights = np.r_[np.ones(30), np.zeros(30)]
        scorer = make_window_scorer("mae")
        weighted = scorer(fitted, past, future, sample_weight=weights)
        assert weighted == pytest.approx(scorer(fitted, past[:30], future[:30]))

    def test_another_estimator_needs_y(self, joined):
        flat = FunctionTransformer(lambda X: X.reshape(len(X), -1))
        pipe = make_pipeline(flat, NaiveForecaster(n_future=N_FUTURE))
        one = joined[:, :, 0]
        scorer = make_window_scorer("mse")
        with pytest.raises(ValueError, match="not for a Pipeline. Pass y"):
            scorer(pipe.fit(one), one)

    def test_an_unknown_metric(self):
        with pytest.raises(ValueError, match="The 'metric' parameter of make_windo"):
            make_window_scorer("neg_mean_squared_error")

    def test_repr(self):
        assert repr(make_window_scorer("mae")) == "make_window_scorer('mae')"
