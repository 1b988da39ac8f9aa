"""The tutorial's figures: what is drawn, on which axes, with which labels."""

import subprocess
import sys
import warnings
from pathlib import Path

import matplotlib
import matplotlib.pyplot as plt
import numpy as np
import pytest
from sklearn.exceptions import NotFittedError
from sklearn.linear_model import Ridge
from sklearn.pipeline import make_pipeline
from skorch.callbacks import Callback

from sk_seq2seq import (
    Seq2SeqRegressor,
    SeriesWindower,
    make_sine_cosine,
    plot_loss_curves,
    plot_predictions,
)

matplotlib.use("Agg")


@pytest.fixture(autouse=True)
def close_figures():
    yield
    plt.close("all")


@pytest.fixture(scope="module")
def model_with_validation(windows):
    return Seq2SeqRegressor(max_epochs=3, train_split=0.25, random_state=0).fit(
        *windows
    )


@pytest.fixture(scope="module")
def model_without_validation(windows):
    return Seq2SeqRegressor(max_epochs=2, train_split=None, random_state=0).fit(
        *windows
    )


class TestPlotLossCurves:
    def test_draws_training_and_validation_loss_per_epoch(self, model_with_validation):
        history = model_with_validation.history_
        ax = plot_loss_curves(model_with_validation)
        assert [line.get_label() for line in ax.lines] == ["training", "validation"]
        train, valid = ax.lines
        np.testing.assert_array_equal(train.get_xdata(), [1, 2, 3])
        np.testing.assert_allclose(train.get_ydata(), history[:, "train_loss"])
        np.testing.assert_allclose(valid.get_ydata(), history[:, "valid_loss"])

    def test_only_training_loss_without_a_validation_split(
        self, model_without_validation
    ):
        ax = plot_loss_curves(model_without_validation)
        assert [line.get_label() for line in ax.lines] == ["training"]
        assert len(ax.lines[0].get_ydata()) == 2

    def test_titles_labels_and_legend(self, model_with_validation):
        ax = plot_loss_curves(model_with_validation)
        assert ax.get_title() == "Loss per epoch"
        assert ax.get_xlabel() == "epoch"
        assert ax.get_ylabel().startswith("loss")
        legend = ax.get_legend()
        assert [text.get_text() for text in legend.get_texts()] == [
            "training",
            "validation",
        ]

    @pytest.mark.parametrize("log, scale", [(True, "log"), (False, "linear")])
    def test_log_scale_is_optional(self, model_with_validation, log, scale):
        assert plot_loss_curves(model_with_validation, log=log).get_yscale() == scale

    def test_losses_within_a_decade_get_plain_numbered_ticks(
        self, model_with_validation
    ):
        ax = plot_loss_curves(model_with_validation)
        ax.figure.canvas.draw()
        low, high = ax.get_ylim()
        assert high < 10 * low
        labels = [
            float(label.get_text())
            for label in ax.get_yticklabels()
            if low <= label.get_position()[1] <= high
        ]
        assert len(labels) >= 2

    def test_draws_on_the_given_axes(self, model_with_validation):
        fig, (left, right) = plt.subplots(1, 2)
        assert plot_loss_curves(model_with_validation, ax=right) is right
        assert len(right.lines) == 2
        assert len(left.lines) == 0
        assert len(plt.get_fignums()) == 1

    def test_unfitted_model_raises(self):
        with pytest.raises(NotFittedError):
            plot_loss_curves(Seq2SeqRegressor())

    def test_a_fitted_pipeline_is_drawn_from_its_last_step(self):
        history = make_sine_cosine(2, 40, random_state=0)[:, :, 0]
        pipe = make_pipeline(
            SeriesWindower(n_past=6, n_future=4),
            Seq2SeqRegressor(n_future=4, hidden_dim=4, max_epochs=2, random_state=0),
        ).fit(history)
        ax = plot_loss_curves(pipe)
        np.testing.assert_allclose(
            ax.lines[0].get_ydata(), pipe[-1].history_[:, "train_loss"]
        )

    def test_an_unfitted_pipeline_raises(self):
        pipe = make_pipeline(SeriesWindower(), Seq2SeqRegressor())
        with pytest.raises(NotFittedError):
            plot_loss_curves(pipe)

    def test_a_model_without_history_is_refused(self):
        ridge = Ridge().fit(np.zeros((3, 2)), np.zeros(3))
        with pytest.raises(TypeError, match="draws the history_ of a Seq2SeqRegressor"):
            plot_loss_curves(ridge)

    def test_a_model_interrupted_in_its_first_epoch_is_refused_clearly(self, windows):
        model = interrupted(windows, in_epoch=1)
        with pytest.raises(ValueError, match="finished no epoch of training"):
            plot_loss_curves(model)

    def test_a_model_interrupted_later_shows_its_finished_epochs(self, windows):
        model = interrupted(windows, in_epoch=2)
        ax = plot_loss_curves(model)
        assert [line.get_label() for line in ax.lines] == ["training", "validation"]
        np.testing.assert_array_equal(ax.lines[0].get_xdata(), [1])


class Interrupt(Callback):
    """Stops training with Ctrl-C in the first batch of epoch ``in_epoch``."""

    def __init__(self, in_epoch):
        self.in_epoch = in_epoch

    def on_batch_end(self, net, **kwargs):
        if len(net.history) == self.in_epoch:
            raise KeyboardInterrupt


def interrupted(windows, in_epoch):
    model = Seq2SeqRegressor(
        hidden_dim=4,
        max_epochs=3,
        train_split=0.25,
        callbacks=[Interrupt(in_epoch)],
        random_state=0,
    )
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")  # the warning is the regressor's to test
        return model.fit(*windows)


def test_importing_the_package_does_not_import_pyplot():
    code = "import sys, sk_seq2seq; print('matplotlib.pyplot' in sys.modules)"
    result = subprocess.run(
        [sys.executable, "-c", code],
        cwd=Path(__file__).parents[1],  # this checkout's package, not another
        capture_output=True,
        text=True,
        check=True,
    )
    assert result.stdout.strip() == "False"


@pytest.fixture
def arrays():
    """Past (6, 4, 1), future (6, 3, 1) and a forecast that differs from it."""
    rng = np.random.RandomState(0)
    past = rng.normal(size=(6, 4, 1))
    future = rng.normal(size=(6, 3, 1))
    return past, future, future + 1.0


class TestPlotPredictions:
    def test_draws_past_future_and_forecast_on_one_time_axis(self, arrays):
        past, future, predicted = arrays
        axes = plot_predictions(past, future, predicted, n_examples=2)
        assert axes.shape == (2,)
        for example, ax in enumerate(axes):
            assert len(ax.lines) == 3
            past_line, future_line, predicted_line = ax.lines
            np.testing.assert_array_equal(past_line.get_xdata(), [0, 1, 2, 3])
            np.testing.assert_array_equal(future_line.get_xdata(), [4, 5, 6])
            np.testing.assert_array_equal(predicted_line.get_xdata(), [4, 5, 6])
            np.testing.assert_array_equal(past_line.get_ydata(), past[example, :, 0])
            np.testing.assert_array_equal(
                future_line.get_ydata(), future[example, :, 0]
            )
            np.testing.assert_array_equal(
                predicted_line.get_ydata(), predicted[example, :, 0]
            )

    def test_markers_and_line_styles(self, arrays):
        ax = plot_predictions(*arrays, n_examples=1)[0]
        assert [line.get_marker() for line in ax.lines] == ["o", "x", "o"]
        assert {line.get_linestyle() for line in ax.lines} == {"--"}
        assert ax.lines[1].get_color() != ax.lines[2].get_color()

    def test_titles_labels_and_legend(self, arrays):
        axes = plot_predictions(*arrays, n_examples=2)
        for example, ax in enumerate(axes):
            assert ax.get_title() == f"Predictions vs. future: example {example}"
            assert ax.get_ylabel() == "value"
        # new stacked axes share the time axis: one label, below
        assert [ax.get_xlabel() for ax in axes] == ["", "time step"]
        legend = axes[0].get_legend()
        assert [text.get_text() for text in legend.get_texts()] == [
            "past",
            "true future",
            "predicted future",
        ]

    def test_two_dimensional_arrays_are_one_feature(self, arrays):
        past, future, predicted = (array[:, :, 0] for array in arrays)
        ax = plot_predictions(past, future, predicted, n_examples=1)[0]
        assert len(ax.lines) == 3
        np.testing.assert_array_equal(ax.lines[2].get_ydata(), predicted[0])

    def test_one_line_triple_per_feature(self):
        past, future = np.zeros((2, 4, 2)), np.ones((2, 3, 2))
        ax = plot_predictions(past, future, future, n_examples=1)[0]
        assert [line.get_label() for line in ax.lines] == [
            "past [0]",
            "true future [0]",
            "predicted future [0]",
            "past [1]",
            "true future [1]",
            "predicted future [1]",
        ]

    def test_at_most_the_windows_there_are(self, arrays):
        assert plot_predictions(*arrays, n_examples=50).shape == (6,)

    def test_draws_on_the_given_axes(self, arrays):
        fig, axes = plt.subplots(2, 2)
        drawn = plot_predictions(*arrays, n_examples=3, axes=axes)
        assert list(drawn) == list(axes.ravel()[:3])
        assert [len(ax.lines) for ax in axes.ravel()] == [3, 3, 3, 0]
        assert [ax.get_xlabel() for ax in drawn] == ["time step"] * 3
        assert len(plt.get_fignums()) == 1

    def test_too_few_axes_raises(self, arrays):
        fig, axes = plt.subplots(2)
        with pytest.raises(ValueError, match="axes holds 2 axes, but 3 windows"):
            plot_predictions(*arrays, n_examples=3, axes=axes)

    def test_mismatched_forecast_raises(self, arrays):
        past, future, _ = arrays
        with pytest.raises(ValueError, match="future has shape .* but predicted"):
            plot_predictions(past, future, future[:, :2])

    def test_mismatched_window_counts_raise(self, arrays):
        past, future, predicted = arrays
        with pytest.raises(ValueError, match="hold 5, 6 and 6 windows"):
            plot_predictions(past[:5], future, predicted)

    @pytest.mark.parametrize("n_examples", [0, 2.5])
    def test_bad_n_examples_raises(self, arrays, n_examples):
        with pytest.raises(ValueError, match="n_examples must be a positive integer"):
            plot_predictions(*arrays, n_examples=n_examples)


class TestIntervalBand:
    def test_the_band_spans_the_bounds(self, arrays):
        past, future, predicted = arrays
        lower, upper = predicted - 0.5, predicted + 1.0
        axes = plot_predictions(past, future, predicted, interval=(lower, upper))
        band = axes[1].collections[0]
        assert band.get_label() == "interval"
        x, y = band.get_paths()[0].vertices.T
        n_past, n_future = past.shape[1], future.shape[1]
        assert x.min() == n_past and x.max() == n_past + n_future - 1
        np.testing.assert_allclose([y.min(), y.max()], [lower[1].min(), upper[1].max()])
        assert "interval" in [t.get_text() for t in axes[0].get_legend().get_texts()]

    def test_no_band_without_an_interval(self, arrays):
        axes = plot_predictions(*arrays)
        assert not axes[0].collections

    @pytest.mark.parametrize(
        "interval, match",
        [
            ("wide", "interval must be a pair"),
            ((1, 2, 3), "interval must be a pair"),
            (lambda p: (p[:, :2], p[:, :2]), "bounds have shapes"),
        ],
        ids=["string", "triple", "short"],
    )
    def test_bad_intervals(self, arrays, interval, match):
        past, future, predicted = arrays
        if callable(interval):
            interval = interval(predicted)
        with pytest.raises(ValueError, match=match):
            plot_predictions(past, future, predicted, interval=interval)
