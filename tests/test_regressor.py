import io
import re
import subprocess
import sys

import numpy as np
import pytest
import torch
from sklearn.exceptions import NotFittedError
from sklearn.linear_model import Ridge
from sklearn.metrics import r2_score
from skorch.callbacks import EarlyStopping

from sk_seq2seq import Seq2SeqModule, Seq2SeqRegressor, make_sine_cosine

FAST = {"max_epochs": 4, "random_state": 0}


@pytest.fixture(scope="module")
def fitted(windows):
    X, y = windows
    return Seq2SeqRegressor(**FAST).fit(X, y)


class TestShapes:
    def test_predict_3d(self, fitted, windows):
        assert fitted.predict(windows[0][:5]).shape == (5, 15, 1)

    def test_2d_y_gives_2d_predictions(self, windows):
        X, y = windows
        model = Seq2SeqRegressor(**FAST).fit(X[:, :, 0], y[:, :, 0])
        assert model.predict(X[:5, :, 0]).shape == (5, 15)

    def test_1d_y_is_a_one_step_horizon(self, windows):
        X, y = windows
        model = Seq2SeqRegressor(**FAST).fit(X[:, :, 0], y[:, 0, 0])
        assert model.predict(X[:5, :, 0]).shape == (5,)
        assert model.n_future_ == 1

    def test_horizon_is_ys_not_n_future(self, windows):
        X, y = windows
        model = Seq2SeqRegressor(n_future=3, **FAST).fit(X, y[:, :7])
        assert model.predict(X[:2]).shape == (2, 7, 1)

    def test_multivariate_features_and_targets(self):
        rng = np.random.RandomState(0)
        X, y = rng.normal(size=(50, 6, 3)), rng.normal(size=(50, 4, 2))
        model = Seq2SeqRegressor(**FAST).fit(X, y)
        assert model.predict(X[:3]).shape == (3, 4, 2)
        assert (model.n_past_, model.n_channels_in_, model.n_targets_) == (6, 3, 2)
        assert model.n_features_in_ == 6

    def test_fitted_attributes(self, fitted):
        assert fitted.n_past_ == fitted.n_features_in_ == 15
        assert fitted.n_future_ == 15
        assert isinstance(fitted.net_.module_, Seq2SeqModule)
        assert fitted.history_ is fitted.net_.history
        # one row per epoch: at most max_epochs, fewer if validation stopped it
        assert 1 <= len(fitted.history_) <= FAST["max_epochs"]

    def test_predictions_are_float64_and_finite(self, fitted, windows):
        y_pred = fitted.predict(windows[0])
        assert y_pred.dtype == np.float64
        assert np.isfinite(y_pred).all()


class TestJoinedWindows:
    def test_fit_without_y_splits_off_the_last_n_future_steps(self, windows):
        X, y = windows
        joined = np.concatenate([X, y], axis=1)
        split = Seq2SeqRegressor(**FAST).fit(X, y)
        together = Seq2SeqRegressor(n_future=15, **FAST).fit(joined)
        assert together.n_past_ == 15 and together.n_features_in_ == 15
        np.testing.assert_array_equal(split.predict(X[:10]), together.predict(X[:10]))

    def test_target_features_pick_the_target_of_joined_windows(self):
        rng = np.random.RandomState(0)
        joined = rng.normal(size=(40, 8, 3))
        model = Seq2SeqRegressor(n_future=3, target_features=[2], **FAST).fit(joined)
        assert model.predict(joined[:4, :5]).shape == (4, 3, 1)
        assert model.target_index_ == [2]

    def test_windows_too_short(self):
        with pytest.raises(ValueError, match="but X has only 15 time steps"):
            Seq2SeqRegressor(n_future=15).fit(np.zeros((10, 15, 1)))


class TestTraining:
    def test_learns_the_tutorial_task(self):
        train = make_sine_cosine(1000, 30, random_state=0)
        test = make_sine_cosine(300, 30, random_state=1)
        # the tutorial's model: the GRU forecasting step by step (auto keeps
        # it only where it at most halves the "segments" validation error)
        model = Seq2SeqRegressor(
            max_steps=400, recipe="steps", train_split=None, random_state=0
        )
        model.fit(train[:, :15], train[:, 15:])
        mse = np.mean((model.predict(test[:, :15]) - test[:, 15:]) ** 2)
        zero_mse = np.mean(test[:, 15:] ** 2)
        assert mse < 0.75 * zero_mse
        assert model.history_[-1, "train_loss"] < model.history_[0, "train_loss"]

    def test_max_steps_sets_the_epochs(self, windows):
        # 300 windows / batch_size 100 = 3 steps per epoch; 7 steps -> 3 epochs
        model = Seq2SeqRegressor(max_steps=7, batch_size=100, random_state=0)
        assert len(model.fit(*windows).history_) == 3

    def test_alpha_adds_the_weight_penalty_to_the_training_loss(self, windows):
        def first_loss(alpha):
            model = Seq2SeqRegressor(alpha=alpha, max_epochs=1, random_state=0)
            return model.fit(*windows).history_[0, "train_loss"]

        assert first_loss(1.0) > first_loss(0.0) + 1.0

    def test_validation_split_holds_out_that_fraction(self, windows):
        model = Seq2SeqRegressor(train_split=0.2, **FAST).fit(*windows)
        assert np.isfinite(model.history_[:, "valid_loss"]).all()
        batches = model.history_[0, "batches"]
        # 300 windows: 30 calibrate, the 14 before them are dropped, 256 left;
        # the last 52 of those validate, and the 14 before them are dropped
        assert sum(b.get("train_batch_size", 0) for b in batches) == 256 - 52 - 14
        assert sum(b.get("valid_batch_size", 0) for b in batches) == 52

    def test_callbacks_are_used_and_not_modified(self, windows):
        # a threshold no epoch can beat: stops after patience + 1 epochs
        stopper = EarlyStopping(monitor="train_loss", patience=1, threshold=1e9)
        model = Seq2SeqRegressor(callbacks=[stopper], **FAST).fit(*windows)
        assert len(model.history_) == 2
        assert stopper.misses_ == 0  # the copy counted the misses, not ours

    def test_verbose_prints_the_epoch_table(self, windows, capsys):
        Seq2SeqRegressor(verbose=1, max_epochs=2).fit(*windows)
        out = capsys.readouterr().out
        assert "train_loss" in out and re.search(r"^\s+2\s", out, re.MULTILINE)

    def test_divergence_stops_with_a_clear_error(self, windows):
        # unclipped: the default clip_grad_norm keeps even this run finite
        model = Seq2SeqRegressor(
            optimizer=torch.optim.SGD, lr=1e4, clip_grad_norm=None, **FAST
        )
        with pytest.raises(FloatingPointError, match="Training diverged in epoch"):
            model.fit(*windows)
        with pytest.raises(NotFittedError):
            model.predict(windows[0])


class TestFreeRunning:
    def test_teacher_forcing_one_runs_the_decoder_once(self, windows):
        model = Seq2SeqRegressor(teacher_forcing=1.0, max_epochs=1, random_state=0)
        module = model.fit(*windows).net_.module_
        calls = []
        module.decoder.register_forward_hook(lambda *args: calls.append(1))
        past, future = (torch.as_tensor(a, dtype=torch.float32) for a in windows)
        module.train()
        module(past, target=future)
        assert len(calls) == 1
        module.eval()
        module(past, target=future)
        assert len(calls) == 1 + 15

    def test_predictions_never_read_the_true_future(self, fitted, windows):
        module = fitted.net_.module_.eval()
        past, future = (torch.as_tensor(a[:20], dtype=torch.float32) for a in windows)
        with torch.no_grad():
            np.testing.assert_array_equal(
                module(past, target=future).numpy(),
                module(past, target=torch.zeros_like(future)),
            )


class TestReproducibility:
    def test_same_random_state_same_predictions(self, fitted, windows):
        again = Seq2SeqRegressor(**FAST).fit(*windows)
        np.testing.assert_array_equal(
            fitted.predict(windows[0]), again.predict(windows[0])
        )

    def test_other_random_state_other_predictions(self, windows):
        # "steps" starts at random weights and trains every epoch ("segments"
        # starts at least squares, and may keep that start whatever the seed)
        first, other = (
            Seq2SeqRegressor(
                max_epochs=4, recipe="steps", train_split=None, random_state=seed
            ).fit(*windows)
            for seed in (0, 1)
        )
        assert not np.allclose(first.predict(windows[0]), other.predict(windows[0]))

    @pytest.mark.parametrize("random_state", [None, 0])
    @pytest.mark.parametrize("train_split", [None, 0.2])
    def test_global_random_states_are_left_alone(
        self, windows, random_state, train_split
    ):
        torch_state, numpy_state = torch.get_rng_state(), np.random.get_state()
        Seq2SeqRegressor(
            max_epochs=1, random_state=random_state, train_split=train_split
        ).fit(*windows)
        assert torch.equal(torch.get_rng_state(), torch_state)
        assert np.random.get_state()[1].tolist() == numpy_state[1].tolist()
        assert np.random.get_state()[2] == numpy_state[2]

    def test_same_random_state_same_predictions_across_processes(self, windows):
        script = (
            "import sys, numpy as np; from sk_seq2seq import Seq2SeqRegressor, "
            "make_sine_cosine; s = make_sine_cosine(300, 30, random_state=0); "
            "m = Seq2SeqRegressor(max_epochs=4, random_state=0)"
            ".fit(s[:, :15], s[:, 15:]); "
            "np.save(sys.stdout.buffer, m.predict(s[:, :15]))"
        )
        out = subprocess.run(
            [sys.executable, "-c", script], capture_output=True, check=True
        ).stdout
        other_process = np.load(io.BytesIO(out))
        here = Seq2SeqRegressor(**FAST).fit(*windows).predict(windows[0])
        np.testing.assert_array_equal(other_process, here)


class TestScore:
    def test_r2_over_all_values(self, fitted, windows):
        X, y = windows
        expected = r2_score(y.ravel(), fitted.predict(X).ravel())
        assert fitted.score(X, y) == pytest.approx(expected)

    def test_better_model_scores_higher(self, windows):
        X, y = windows
        ridge = Ridge().fit(X[:, :, 0], y[:, :, 0])
        assert ridge.score(X[:, :, 0], y[:, :, 0]) > 0  # sanity of the data
        weak = Seq2SeqRegressor(max_epochs=1, random_state=0).fit(X, y)
        strong = Seq2SeqRegressor(max_steps=150, random_state=0).fit(X, y)
        assert strong.score(X, y) > weak.score(X, y)


class TestValidation:
    def test_predict_before_fit(self, windows):
        with pytest.raises(NotFittedError, match="Seq2SeqRegressor instance is not"):
            Seq2SeqRegressor().predict(windows[0])

    def test_other_past_length_reminds_of_n_future(self, fitted, windows):
        with pytest.raises(
            ValueError,
            match=r"X has 10 features, but Seq2SeqRegressor is expecting 15 .*"
            r"the windower and the model need the same n_future",
        ):
            fitted.predict(windows[0][:, :10])

    def test_other_feature_count(self, fitted):
        with pytest.raises(ValueError, match="X has 2 features per time step"):
            fitted.predict(np.zeros((3, 15, 2)))

    @pytest.mark.parametrize("where", ["X", "y"])
    def test_nan_is_refused_before_training(self, windows, where):
        X, y = (a.copy() for a in windows)
        (X if where == "X" else y)[0, 3, 0] = np.nan
        with pytest.raises(ValueError, match=f"Input {where} contains NaN"):
            Seq2SeqRegressor().fit(X, y)

    def test_inf(self, fitted, windows):
        X = windows[0].copy()
        X[1, 1, 0] = np.inf
        with pytest.raises(ValueError, match="Input X contains infinity"):
            fitted.predict(X)

    def test_length_mismatch(self, windows):
        X, y = windows
        with pytest.raises(ValueError, match="inconsistent numbers of samples"):
            Seq2SeqRegressor().fit(X, y[:-1])

    def test_four_dimensions(self):
        with pytest.raises(ValueError, match="X has 4 dimensions"):
            Seq2SeqRegressor().fit(np.zeros((2, 3, 4, 5)), np.zeros((2, 3)))

    def test_one_dimensional_X(self):
        with pytest.raises(ValueError, match="Expected 2D array, got 1D array"):
            Seq2SeqRegressor().fit(np.zeros(10), np.zeros(10))

    def test_bad_parameter(self, windows):
        with pytest.raises(
            ValueError, match="'hidden_dim' parameter of Seq2SeqRegressor must be"
        ):
            Seq2SeqRegressor(hidden_dim=0).fit(*windows)

    def test_inputs_are_not_modified(self, windows):
        X, y = (a.copy() for a in windows)
        Seq2SeqRegressor(max_epochs=1).fit(X, y).predict(X)
        np.testing.assert_array_equal(X, windows[0])
        np.testing.assert_array_equal(y, windows[1])
        assert X.flags.writeable and y.flags.writeable
