"""Prediction intervals at extreme coverages, and save to a text file.

Issue 23, silent result 5: widths never shrink as coverage grows, down to
coverages far below one calibration window's share.
"""

import io

import numpy as np
import pytest

from sk_seq2seq import NaiveForecaster, Seq2SeqRegressor, make_sine_cosine


@pytest.fixture(scope="module")
def naive():
    walks = np.random.default_rng(0).normal(size=(200, 10)).cumsum(axis=1)
    return NaiveForecaster(n_future=3).fit(walks), walks[:4, :7]


def width(model, X, coverage):
    lower, upper = model.predict_interval(X, coverage=coverage)
    return upper - lower


class TestCoverageExtremes:
    @pytest.mark.parametrize("coverage", [1e-300, 5e-324, 1e-12, 1e-9 / 201])
    def test_a_tiny_coverage_gives_the_narrowest_interval(self, naive, coverage):
        model, X = naive
        # errors in units of each window's scale (its mean absolute step)
        relative = model.calibration_residuals_ / model.calibration_scales_[:, None]
        scale = np.abs(np.diff(X[0])).mean()
        expected = 2 * np.abs(relative).min(axis=0) * scale
        np.testing.assert_allclose(width(model, X, coverage)[0], expected)

    def test_widths_never_shrink_as_coverage_grows(self, naive):
        model, X = naive
        coverages = [5e-324, 1e-300, 1e-9, 1e-3, 0.01, 0.1, 0.5, 0.9, 0.99, 0.995]
        widths = np.stack([width(model, X, c) for c in coverages])
        assert (np.diff(widths, axis=0) >= 0).all()


class TestCalibrationState:
    """Unclear 4: predict_interval says why from the fitted state, not the params."""

    @pytest.fixture(scope="class")
    def windows(self):
        curves = make_sine_cosine(80, 12, random_state=0)
        return curves[:, :8], curves[:, 8:]

    @staticmethod
    def model(**params):
        return Seq2SeqRegressor(
            hidden_dim=2, num_layers=1, max_epochs=1, random_state=0, **params
        )

    def test_none_at_fit_whatever_is_set_later(self, windows):
        model = self.model(calibration=None).fit(*windows)
        model.set_params(calibration=0.5)
        with pytest.raises(ValueError, match="fitted with calibration=None"):
            model.predict_interval(windows[0][:2])

    def test_too_few_windows_at_fit_whatever_is_set_later(self, windows):
        X, y = windows
        model = self.model().fit(X[:8], y[:8])  # floor(0.1 * 8) = 0 held out
        model.set_params(calibration=None)
        with pytest.raises(ValueError, match="fit held none out: each series had"):
            model.predict_interval(X[:2])
        assert model.calibration_residuals_.shape == (0, 4, 1)

    def test_too_few_windows_survive_save_and_load(self, windows):
        X, y = windows
        buffer = io.BytesIO()
        self.model().fit(X[:8], y[:8]).save(buffer)
        buffer.seek(0)
        with pytest.raises(ValueError, match="fit held none out"):
            Seq2SeqRegressor.load(buffer).predict_interval(X[:2])

    def test_no_window_left_to_train_on(self, windows):
        model = self.model(calibration=0.99)
        with pytest.raises(ValueError, match="calibration=0.99 holds 79 of a series"):
            model.fit(*windows)
        assert not hasattr(model, "net_")


class TestSaveToText:
    """Unclear 12: save and load need bytes; a text file is named as such."""

    @pytest.fixture(scope="class")
    def fitted(self):
        windows = make_sine_cosine(30, 8, random_state=0)
        return Seq2SeqRegressor(
            hidden_dim=2, num_layers=1, max_epochs=1, n_future=3, random_state=0
        ).fit(windows)

    def test_save_to_a_text_buffer(self, fitted):
        text = io.StringIO()
        with pytest.raises(TypeError, match=r"save got a text file.*io\.BytesIO\(\)"):
            fitted.save(text)
        assert text.getvalue() == ""

    def test_load_from_a_text_file(self, fitted, tmp_path):
        path = tmp_path / "model.zip"
        fitted.save(path)
        with open(path, encoding="latin-1") as text:
            with pytest.raises(TypeError, match=r"load got a text file.*'rb'"):
                Seq2SeqRegressor.load(text)

    def test_neither_path_nor_file(self, fitted):
        with pytest.raises(TypeError, match="save got a list, which is neither"):
            fitted.save([])

    def test_a_binary_buffer_round_trips(self, fitted):
        buffer = io.BytesIO()
        fitted.save(buffer)
        buffer.seek(0)
        X = make_sine_cosine(2, 5, random_state=1)
        np.testing.assert_array_equal(
            Seq2SeqRegressor.load(buffer).predict(X), fitted.predict(X)
        )
