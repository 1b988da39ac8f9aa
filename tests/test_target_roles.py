"""Whether y is one of X's features: said by target_features, checked by level.

Issue 23, silent result 8 and unclear error 3: with as many targets as
features and ``target_features=None``, y is taken for X's features; an
unrelated y was then scaled with X's statistics and anchored at X's level.
"""

import warnings

import numpy as np
import pytest

from sk_seq2seq import NaiveForecaster, Seq2SeqRegressor, make_sine_cosine

TINY = dict(hidden_dim=3, num_layers=1, max_epochs=2, random_state=0)


@pytest.fixture(scope="module")
def windows():
    curves = make_sine_cosine(80, 12, random_state=0)
    return curves[:, :8], curves[:, 8:]


@pytest.fixture(scope="module")
def covariate(windows):
    """X: an unrelated covariate near 1e6; y: the curves' future near 0.5."""
    X, y = windows
    return 1e6 + 1e5 * X, y


class TestNotAmongFeatures:
    def test_empty_target_features_forecasts_y_on_its_own_scale(self, covariate):
        X, y = covariate
        model = Seq2SeqRegressor(target_features=[], **TINY).fit(X, y)
        assert model.target_index_ is None
        assert np.abs(model.predict(X)).max() < 10  # y's level, not X's 1e6

    def test_none_keeps_taking_y_for_x(self, windows):
        X, y = windows
        with warnings.catch_warnings():
            warnings.simplefilter("error")
            model = Seq2SeqRegressor(**TINY).fit(X, y)
        assert model.target_index_ == [0]

    def test_empty_target_features_without_y(self, windows):
        joined = np.concatenate(windows, axis=1)
        with pytest.raises(ValueError, match=r"target_features=\[\] says that y is"):
            Seq2SeqRegressor(n_future=4, target_features=[], **TINY).fit(joined)

    def test_a_naive_forecaster_needs_the_feature(self, windows):
        with pytest.raises(ValueError, match="forecasts each target from its own"):
            NaiveForecaster(target_features=[]).fit(*windows)


class TestLevelsApart:
    @pytest.mark.parametrize("model", [Seq2SeqRegressor(**TINY), NaiveForecaster()])
    def test_a_covariate_taken_for_y_warns(self, covariate, model):
        with pytest.warns(UserWarning, match="pass target_features=\\[\\]") as caught:
            model.fit(*covariate)
        assert "more than 1000 times apart (y: 0.5" in str(caught[0].message)

    def test_the_other_way_round_warns_too(self, windows):
        X, y = windows
        with pytest.warns(UserWarning, match="evidently not that feature"):
            NaiveForecaster().fit(X, 1e4 * y)

    def test_levels_just_within_do_not_warn(self, windows):
        X, y = windows
        with warnings.catch_warnings():
            warnings.simplefilter("error")
            NaiveForecaster().fit(X, 500 * y)

    def test_a_zero_placeholder_has_no_level(self, windows):
        with warnings.catch_warnings():
            warnings.simplefilter("error")
            NaiveForecaster().fit(windows[0], np.zeros_like(windows[1]))

    def test_listed_targets_are_trusted(self, covariate):
        with warnings.catch_warnings():
            warnings.simplefilter("error")
            NaiveForecaster(target_features=[0]).fit(*covariate)


def test_too_large_values_name_the_scaled_magnitude(windows):
    """Unclear 3: the message quoted y's 1.89 while X's scale was the cause."""
    X, y = windows
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")  # the levels warning of the same cause
        with pytest.raises(
            ValueError, match="learned in fit, the largest is 1e\\+20"
        ) as caught:
            Seq2SeqRegressor(**TINY).fit(np.full(X.shape, 1e20), y)
    assert "pass target_features=[]" in str(caught.value)
