"""predict_interval: split-conformal intervals, calibrated on held-out windows."""

import io

import numpy as np
import pytest
from sklearn.metrics import mean_pinball_loss

from sk_seq2seq import Seq2SeqRegressor, SeriesWindower, make_sine_cosine

FAST = {"hidden_dim": 8, "num_layers": 1, "max_epochs": 4, "random_state": 0}


@pytest.fixture(scope="module")
def curves():
    """1,000 noisy curves to fit on (past 15, future 10), 2,000 fresh ones to test."""
    rng = np.random.default_rng(0)
    series = make_sine_cosine(3000, 25, random_state=0)
    series = series + 0.1 * rng.standard_normal(series.shape)
    return (
        series[:1000, :15],
        series[:1000, 15:],
        series[1000:, :15],
        series[1000:, 15:],
    )


@pytest.fixture(scope="module")
def model(curves):
    X, y, _, _ = curves
    return Seq2SeqRegressor(**FAST).fit(X, y)


class TestCoverage:
    @pytest.mark.parametrize("coverage", [0.8, 0.9])
    def test_held_out_coverage_is_near_nominal(self, model, curves, coverage):
        _, _, X_test, y_test = curves
        lower, upper = model.predict_interval(X_test, coverage=coverage)
        inside = (lower <= y_test) & (y_test <= upper)
        # 100 calibration windows: the coverage is random, within a few points
        assert abs(inside.mean() - coverage) < 0.04
        per_step = inside.mean(axis=(0, 2))
        assert np.all(np.abs(per_step - coverage) < 0.08)

    def test_wider_for_higher_coverage_and_centred_on_predict(self, model, curves):
        X_test = curves[2][:50]
        low80, up80 = model.predict_interval(X_test, coverage=0.8)
        low95, up95 = model.predict_interval(X_test, coverage=0.95)
        assert np.all(up95 - low95 >= up80 - low80)
        assert (up95 - low95 > up80 - low80).any()
        np.testing.assert_allclose((low80 + up80) / 2, model.predict(X_test))

    def test_the_calibration_windows_are_the_last_ones(self, curves):
        X, y, _, _ = curves
        # without validation no start is fitted again after calibrating: the
        # residuals are the fitted model's own
        model = Seq2SeqRegressor(**FAST, train_split=None).fit(X, y)
        # 10% of 1000 windows; the 9 before them are left out of training
        assert model.calibration_residuals_.shape == (100, 10, 1)
        np.testing.assert_allclose(
            model.calibration_residuals_, y[-100:] - model.predict(X[-100:])
        )

    def test_a_kept_start_learns_the_calibration_windows_after_they_calibrate(
        self, model, curves
    ):
        # validation kept the linear start, which was then fitted again on
        # every window: the residuals are those of the model that had not
        # seen the calibration windows, and the final model forecasts them
        # better
        X, y, _, _ = curves
        final = y[-100:] - model.predict(X[-100:])
        residuals = model.calibration_residuals_
        assert residuals.shape == (100, 10, 1)
        assert np.mean(final**2) < np.mean(residuals**2)

    def test_bounds_score_with_the_pinball_loss(self, model, curves):
        """The upper bound of a 90% interval is a better 95% quantile than predict."""
        _, _, X_test, y_test = curves
        _, upper = model.predict_interval(X_test, coverage=0.9)
        flat = y_test.reshape(len(y_test), -1)

        def loss(quantile):
            return mean_pinball_loss(flat, quantile.reshape(len(flat), -1), alpha=0.95)

        assert loss(upper) < 0.5 * loss(model.predict(X_test))


class TestShapes:
    def test_keep_ys_dimensions(self, curves):
        X, y, X_test, _ = curves
        model = Seq2SeqRegressor(**FAST).fit(X[:300], y[:300, :, 0])
        lower, upper = model.predict_interval(X_test[:7], coverage=0.5)
        assert lower.shape == upper.shape == (7, 10)

    def test_survive_save_and_load(self, model, curves):
        buffer = io.BytesIO()
        model.save(buffer)
        buffer.seek(0)
        loaded = Seq2SeqRegressor.load(buffer)
        for got, expected in zip(
            loaded.predict_interval(curves[2][:5], coverage=0.9),
            model.predict_interval(curves[2][:5], coverage=0.9),
        ):
            np.testing.assert_array_equal(got, expected)


class TestRefusals:
    @pytest.mark.parametrize("coverage", [0, 1, 90, -0.1, "0.9", None, True])
    def test_coverage_outside_0_1(self, model, curves, coverage):
        with pytest.raises(ValueError, match="coverage must be a float strictly"):
            model.predict_interval(curves[2][:2], coverage=coverage)

    def test_without_calibration(self, curves):
        X, y, _, _ = curves
        model = Seq2SeqRegressor(calibration=None, **FAST).fit(X[:100], y[:100])
        assert model.calibration_residuals_ is None
        with pytest.raises(ValueError, match="fitted with calibration=None"):
            model.predict_interval(X[:2])

    def test_too_few_calibration_windows_for_the_coverage(self, curves):
        X, y, _, _ = curves
        model = Seq2SeqRegressor(**FAST).fit(X[:60], y[:60])  # 6 held out
        model.predict_interval(X[:2], coverage=0.8)
        with pytest.raises(ValueError, match="6 calibration windows are too few"):
            model.predict_interval(X[:2], coverage=0.9)


class TestPanelCalibration:
    """Every series of a panel calibrates its most recent windows."""

    @pytest.fixture(scope="class")
    def panels(self):
        t = np.arange(400)
        noisy = np.sin(t / 4) + np.random.default_rng(0).normal(0, 1, 400)
        return np.stack([noisy, np.sin(t / 4)]), np.stack([np.sin(t / 4), noisy])

    def fitted(self, history):
        model = Seq2SeqRegressor(
            4, 1, n_future=4, max_epochs=2, train_split=None, random_state=0
        )
        return model.fit(SeriesWindower(8, 4).fit_transform(history))

    def test_each_series_gives_its_most_recent_tenth(self, panels):
        # 389 windows per series: 38 calibrate, the 3 before them are left out
        model = self.fitted(panels[0])
        assert model.calibration_residuals_.shape == (2 * 38, 4, 1)
        assert (
            sum(
                model.history_[-1, "batches"][i]["train_batch_size"]
                for i in range(len(model.history_[-1, "batches"]))
            )
            == 2 * 348
        )

    def test_intervals_do_not_depend_on_the_order_of_the_series(self, panels):
        widths = []
        for history in panels:
            model = self.fitted(history)
            lower, upper = model.predict_interval(
                SeriesWindower(8, 4).fit(history).transform(history), coverage=0.9
            )
            widths.append((upper - lower).mean())
        assert widths[0] == pytest.approx(widths[1], rel=0.25)

    def test_each_series_gets_an_interval_in_its_own_units(self):
        # the same curve at levels 1 and 1000: the errors are compared in
        # units of each window's scale, not pooled in absolute units
        t = np.arange(300)
        curve = 2 + np.sin(t / 4) + np.random.default_rng(1).normal(0, 0.1, 300)
        history = np.stack([curve, 1000 * curve])
        windower = SeriesWindower(8, 4)
        model = Seq2SeqRegressor(4, 1, max_epochs=2, random_state=0)
        model.fit(windower.fit_transform(history))
        lower, upper = model.predict_interval(windower.transform(history))
        width = (upper - lower)[:, :, 0]
        np.testing.assert_allclose(width[1], 1000 * width[0], rtol=1e-9)
