"""Seq2SeqRegressor: a scikit-learn regressor around a skorch-trained GRU seq2seq."""

from __future__ import annotations

import copy
import math
import os
import warnings
from numbers import Integral, Real

import numpy as np
import torch
from sklearn.base import BaseEstimator, RegressorMixin, clone
from sklearn.metrics import r2_score
from sklearn.preprocessing import StandardScaler
from sklearn.utils import check_random_state
from sklearn.utils._param_validation import Interval, StrOptions
from sklearn.utils.validation import (
    FLOAT_DTYPES,
    check_consistent_length,
    check_is_fitted,
    validate_data,
)
from skorch import NeuralNetRegressor
from skorch.callbacks import Callback, GradientNormClipping, LRScheduler
from skorch.dataset import ValidSplit, unpack_data
from skorch.utils import to_tensor

from . import _persistence
from ._module import Seq2SeqModule
from ._validation import as_3d, check_values


class SummedStepMSE(torch.nn.Module):
    """Sum over horizon steps of each step's mean squared error.

    ``(batch, n_future, n_targets)`` predictions and targets give a scalar:
    the MSE of step 1, plus the MSE of step 2, and so on (the tutorial's loss).
    """

    def forward(self, y_pred: torch.Tensor, y_true: torch.Tensor) -> torch.Tensor:
        return ((y_pred - y_true) ** 2).mean(dim=(0, 2)).sum()


class _Seq2SeqNet(NeuralNetRegressor):
    """skorch's regressor, changed only where seq2seq training needs it.

    The training step hands the target to the module (teacher forcing may read
    it); validation and prediction never do. The training loss adds ``alpha``
    times the module's weight penalty.
    """

    def __init__(self, *args, alpha=0.0, **kwargs):
        super().__init__(*args, **kwargs)
        self.alpha = alpha

    def train_step_single(self, batch, **fit_params):
        self._set_training(True)
        Xi, yi = unpack_data(batch)
        y_pred = self.infer(Xi, target=to_tensor(yi, device=self.device), **fit_params)
        loss = self.get_loss(y_pred, yi, X=Xi, training=True)
        loss.backward()
        return {"loss": loss, "y_pred": y_pred}

    def get_loss(self, y_pred, y_true, X=None, training=False):
        loss = super().get_loss(y_pred, y_true, X=X, training=training)
        if training and self.alpha:
            loss = loss + self.alpha * self.module_.weight_penalty()
        return loss


class _StopOnDivergence(Callback):
    """Raise as soon as a training batch's loss or the weights are not finite.

    The loss is checked after every batch; non-finite weights make the next
    batch's loss non-finite, so the weights need checking only at the end of
    an epoch, whose last step can break them with a finite loss.
    """

    def on_batch_end(self, net, batch=None, training=None, loss=None, **kwargs):
        if training and not torch.isfinite(loss):
            self._diverged(net, f"the loss became {loss.item()}")

    def on_epoch_end(self, net, **kwargs):
        if not all(torch.isfinite(w).all() for w in net.module_.parameters()):
            self._diverged(net, "the weights became NaN or infinite")

    @staticmethod
    def _diverged(net, what):
        raise FloatingPointError(
            f"Training diverged in epoch {len(net.history)}: {what}. Use a smaller "
            f"learning rate (lr={net.lr} now) or clip the gradients "
            "(clip_grad_norm=1.0, the default, or smaller)."
        )


class _KeepFinishedEpoch(Callback):
    """Undo the epoch a ``KeyboardInterrupt`` (or divergence) cut short.

    skorch swallows ``KeyboardInterrupt`` and ends training mid-epoch. This
    callback copies the weights and the optimizer's state when an epoch
    starts, and when training ends in the middle of an epoch it restores them,
    drops the unfinished epoch from ``history`` and warns.
    """

    def on_epoch_begin(self, net, **kwargs):
        self.finished_ = len(net.history) - 1
        self.snapshot_ = copy.deepcopy(
            (net.module_.state_dict(), net.optimizer_.state_dict())
        )

    def on_epoch_end(self, net, **kwargs):
        self.snapshot_ = None

    def on_train_end(self, net, **kwargs):
        if getattr(self, "snapshot_", None) is None:
            return
        interrupted = self.finished_ + 1
        self.restore(net)
        kept = (
            f"the weights of epoch {self.finished_}, the last finished one"
            if self.finished_
            else "its initial, untrained weights"
        )
        warnings.warn(
            f"Training was interrupted (KeyboardInterrupt) in epoch {interrupted}; "
            f"the model keeps {kept}, and can predict. Call partial_fit to train "
            "it further, or fit to start again.",
            UserWarning,
            stacklevel=2,
        )

    def restore(self, net):
        """Load the weights and optimizer state of the last finished epoch."""
        module_state, optimizer_state = self.snapshot_
        net.module_.load_state_dict(module_state)
        net.optimizer_.load_state_dict(optimizer_state)
        del net.history[self.finished_ :]
        self.snapshot_ = None


class Seq2SeqRegressor(RegressorMixin, BaseEstimator):
    """GRU encoder-decoder that forecasts the future of a window from its past.

    An encoder GRU reads the past ``(n_samples, n_past, n_features)`` and hands
    its final state to a decoder GRU, which forecasts the future
    ``(n_samples, n_future, n_targets)`` one step at a time, each step reading
    the previous value. ``fit`` trains a skorch ``NeuralNetRegressor`` (kept as
    ``net_``); ``predict`` is always free-running: the decoder feeds back its
    own forecasts and never sees a true future value.

    The loss is the tutorial's: the sum over the horizon of each step's mean
    squared error, plus ``alpha * sum(w ** 2) / 2`` over the encoder's and
    decoder's weights (not the output head), computed on standardised values
    when ``scale=True``.

    Parameters
    ----------
    hidden_dim : int, default=32
        Size of every GRU layer's state. 32 rather than the tutorial's 12:
        within the default budget it forecasts the tutorial's curves with
        less than half the error (``benchmarks/TUNING.md``).
    num_layers : int, default=2
        Stacked GRU layers in the encoder and in the decoder.
    n_future : int, default=15
        Forecast horizon, read only by ``fit(X)`` with ``y=None``: ``X`` then
        holds joined windows (as :class:`SeriesWindower` returns them) whose
        last ``n_future`` steps are the target. With ``y`` the horizon is
        ``y``'s.
    teacher_forcing : float, default=0.0
        Probability that, while training, the decoder reads the true previous
        value instead of its own forecast. ``0.0`` is free-running training:
        on the tutorial task, after the same epochs, it forecasts with a
        quarter of the error of teacher forcing (``1.0``, the tutorial's
        setting, which runs the decoder as one GRU call; 0.22 against 0.87
        times ``Ridge``'s error, ``benchmarks/RESULTS.md``). Values in between
        are scheduled sampling.
    alpha : float, default=0.003
        Strength of the L2 penalty on the GRU weights, as in the tutorial.
    bidirectional : bool, default=False
        Read the past in both directions; see :class:`Seq2SeqModule`.
    window_norm : {"revin", "last_value"} or None, default="revin"
        Make each window relative to itself, so that levels never seen in
        training (a trend) are forecast as well as familiar ones: ``"revin"``
        normalises each window by its own mean and standard deviation and
        undoes it on the forecast (reversible instance normalisation),
        ``"last_value"`` forecasts changes from each feature's last observed
        value, ``None`` relies on the global ``scale`` alone. Measured on a
        trend beyond the training range (``benchmarks/FEATURES.md``),
        ``"revin"`` forecasts with 1/46 of ``"last_value"``'s error and
        1/4500 of ``None``'s; on stationary curves such as the tutorial's,
        ``None`` has half of ``"revin"``'s error, so pass it when the data
        has no trend. See :class:`Seq2SeqModule`.
    scale : bool, default=True
        Standardise every feature and target with statistics learned in
        ``fit`` (scikit-learn's ``StandardScaler``) and invert it on
        ``predict``. A target that is also a past feature shares that
        feature's statistics.
    target_features : list of int or None, default=None
        Which past features the targets are. With ``y=None`` these features
        of the joined windows' future part form the target (``None``: all).
        With ``y``, ``None`` means ``y``'s channels are ``X``'s when their
        counts match, else unrelated. The decoder starts from the targets'
        last observed value when they are known, else from zeros.
    lr : float, default=0.02
        Initial learning rate of the optimizer (see ``lr_schedule``).
    lr_schedule : {"cosine"} or None, default="cosine"
        ``"cosine"`` decays the learning rate from ``lr`` to zero along a
        cosine over the training budget, batch by batch (skorch's
        ``LRScheduler`` with ``CosineAnnealingLR``); ``None`` keeps it
        constant. Measured on the tutorial task the decay lowers the error by
        about a third at the same budget. With your own ``LRScheduler`` in
        ``callbacks``, pass ``None``.
    max_epochs : int or None, default=None
        Passes over the data. ``None`` derives them from ``max_steps``, so
        that small and large data sets get the same training budget.
    max_steps : int, default=2000
        Optimizer steps (batches) to train for when ``max_epochs=None``,
        rounded up to whole epochs. The budget is in steps rather than
        epochs so that one default serves 20,000 windows (26 epochs, about a
        minute on 2 CPU cores) and a series of 2,000 windows (250 epochs)
        alike.
    batch_size : int, default=256
        Windows per optimizer step. On a CPU a batch of 256 costs little
        more per step than one of 64 and gives steadier gradients.
    optimizer : torch optimizer class, default=torch.optim.Adam
        The optimizer; skorch builds it with ``lr``.
    clip_grad_norm : float or None, default=1.0
        Clip the gradients' global norm to this value (skorch's
        ``GradientNormClipping``), which keeps the default ``lr`` stable;
        ``None`` does not clip.
    callbacks : list of skorch callbacks or None, default=None
        Extra skorch callbacks (``EarlyStopping``, ``Checkpoint``,
        ``LRScheduler``, ``ProgressBar``, ...). They are copied in ``fit``.
    train_split : float, callable or None, default=None
        ``None`` trains on everything; a float in (0, 1) keeps that fraction
        of the windows for validation (``valid_loss`` in ``history_``); a
        callable is passed to skorch as is (e.g. ``skorch.dataset.ValidSplit``).
    device : str, default="cpu"
        Where the module runs (``"cuda"`` for a GPU); see skorch.
    warm_start : bool, default=False
        When ``True`` and the model is fitted, ``fit`` continues training the
        current weights (and optimizer state) for a new training budget
        instead of starting again; the scalers learned in the first fit are
        kept. The windows' shapes and the module's parameters (``hidden_dim``,
        ``num_layers``, ...) must not change; ``lr``, ``batch_size``,
        ``alpha``, ``teacher_forcing`` and the budget may.
    verbose : int, default=0
        ``1`` prints skorch's table of losses after every epoch.
    random_state : int, RandomState instance or None, default=None
        Seeds the initial weights, the order of the batches and the
        validation split: the same value gives identical predictions.
        Training leaves the global torch and numpy random states as they were.

    Attributes
    ----------
    net_ : skorch.NeuralNetRegressor
        The trained skorch net; ``net_.module_`` is the
        :class:`Seq2SeqModule`.
    history_ : skorch.History
        The record of training: ``history_[:, "train_loss"]`` and, with a
        validation split, ``history_[:, "valid_loss"]``.
    n_features_in_ : int
        Past steps per window seen in fit (``X.shape[1]``, scikit-learn's
        convention for the second axis).
    n_past_ : int
        Past steps per window the model reads; ``predict`` requires it.
    n_channels_in_ : int
        Features per past step (``X.shape[2]``).
    n_future_ : int
        Forecast horizon learned from the target.
    n_targets_ : int
        Target values per future step.
    target_index_ : list of int or None
        The past features that are the targets, or ``None``.
    x_scaler_, y_scaler_ : StandardScaler or None
        The scalers of features and targets when ``scale=True``.

    See Also
    --------
    SeriesWindower : Cut raw histories into the windows this model reads.
    Seq2SeqModule : The torch module that is trained.

    Examples
    --------
    >>> from sk_seq2seq import Seq2SeqRegressor, make_sine_cosine
    >>> series = make_sine_cosine(200, 30, random_state=0)
    >>> X, y = series[:, :15], series[:, 15:]
    >>> model = Seq2SeqRegressor(max_epochs=2, random_state=0).fit(X, y)
    >>> model.predict(X[:5]).shape
    (5, 15, 1)
    """

    _parameter_constraints: dict = {
        "hidden_dim": [Interval(Integral, 1, None, closed="left")],
        "num_layers": [Interval(Integral, 1, None, closed="left")],
        "n_future": [Interval(Integral, 1, None, closed="left")],
        "teacher_forcing": [Interval(Real, 0, 1, closed="both")],
        "alpha": [Interval(Real, 0, None, closed="left")],
        "bidirectional": ["boolean"],
        "window_norm": [StrOptions({"last_value", "revin"}), None],
        "scale": ["boolean"],
        "target_features": [None, "array-like"],
        "lr": [Interval(Real, 0, None, closed="neither")],
        "lr_schedule": [StrOptions({"cosine"}), None],
        "max_epochs": [None, Interval(Integral, 1, None, closed="left")],
        "max_steps": [Interval(Integral, 1, None, closed="left")],
        "batch_size": [Interval(Integral, 1, None, closed="left")],
        "optimizer": [callable],
        "clip_grad_norm": [None, Interval(Real, 0, None, closed="neither")],
        "callbacks": [None, list],
        "train_split": [None, Interval(Real, 0, 1, closed="neither"), callable],
        "device": [str, torch.device],
        "warm_start": ["boolean"],
        "verbose": ["verbose"],
        "random_state": ["random_state"],
    }

    def __init__(
        self,
        hidden_dim: int = 32,
        num_layers: int = 2,
        n_future: int = 15,
        *,
        teacher_forcing: float = 0.0,
        alpha: float = 0.003,
        bidirectional: bool = False,
        window_norm: str | None = "revin",
        scale: bool = True,
        target_features: list[int] | None = None,
        lr: float = 0.02,
        lr_schedule: str | None = "cosine",
        max_epochs: int | None = None,
        max_steps: int = 2000,
        batch_size: int = 256,
        optimizer: type[torch.optim.Optimizer] = torch.optim.Adam,
        clip_grad_norm: float | None = 1.0,
        callbacks: list | None = None,
        train_split=None,
        device: str = "cpu",
        warm_start: bool = False,
        verbose: int = 0,
        random_state: int | np.random.RandomState | None = None,
    ):
        self.hidden_dim = hidden_dim
        self.num_layers = num_layers
        self.n_future = n_future
        self.teacher_forcing = teacher_forcing
        self.alpha = alpha
        self.bidirectional = bidirectional
        self.window_norm = window_norm
        self.scale = scale
        self.target_features = target_features
        self.lr = lr
        self.lr_schedule = lr_schedule
        self.max_epochs = max_epochs
        self.max_steps = max_steps
        self.batch_size = batch_size
        self.optimizer = optimizer
        self.clip_grad_norm = clip_grad_norm
        self.callbacks = callbacks
        self.train_split = train_split
        self.device = device
        self.warm_start = warm_start
        self.verbose = verbose
        self.random_state = random_state

    def fit(self, X, y=None) -> Seq2SeqRegressor:
        """Train the encoder-decoder on past windows and their futures.

        Parameters
        ----------
        X : array-like of shape (n_samples, n_past, n_features) or \
                (n_samples, n_past)
            Past windows. With ``y=None``: joined windows of shape
            ``(n_samples, n_past + n_future, n_features)`` whose last
            ``n_future`` steps are the target (what
            :meth:`SeriesWindower.fit_transform` returns).
        y : array-like of shape (n_samples, n_future, n_targets), \
                (n_samples, n_future), (n_samples,) or None, default=None
            Future windows. 1-D ``y`` is a one-step horizon. Predictions keep
            ``y``'s number of dimensions.

        Returns
        -------
        self : Seq2SeqRegressor
            The fitted model.
        """
        self._validate_params()
        return self._fit(X, y, warm=self.warm_start and self.__sklearn_is_fitted__())

    def partial_fit(self, X, y=None) -> Seq2SeqRegressor:
        """Train one more epoch over the windows, from the current weights.

        As scikit-learn's ``partial_fit`` (e.g. ``MLPRegressor``): one pass
        over ``X``, continuing from the weights and optimizer state of the
        previous ``fit`` or ``partial_fit``. The first call on an unfitted
        model fits the scalers and initialises the weights; later calls keep
        the scalers and require windows of the same shapes. For a whole
        training budget from the current weights, use ``warm_start=True``.

        Parameters
        ----------
        X : array-like of shape (n_samples, n_past, n_features) or \
                (n_samples, n_past)
            Past windows, or joined windows with ``y=None`` (as in :meth:`fit`).
        y : array-like of shape (n_samples, n_future, n_targets), \
                (n_samples, n_future), (n_samples,) or None, default=None
            Future windows.

        Returns
        -------
        self : Seq2SeqRegressor
            The model, trained one epoch more.
        """
        self._validate_params()
        return self._fit(X, y, warm=self.__sklearn_is_fitted__(), epochs=1)

    def _fit(self, X, y, *, warm, epochs=None):
        if warm:
            past, future = self._check_more_data(X, y)
            target_index = self.target_index_
            x_scaler, y_scaler = self.x_scaler_, self.y_scaler_
        else:
            past, future = self._check_fit_data(X, y)
            target_index = self._target_index(past, future, y is None)
            x_scaler, y_scaler = self._fit_scalers(past, future, target_index)
        past = self._scaled(past, x_scaler)
        future = self._scaled(future, y_scaler)

        net = self._build_net(past, future, target_index)
        if warm:
            epochs = epochs or net.max_epochs
            net = self._continued_net(net)
        seed = self._torch_seed()
        with torch.random.fork_rng(devices=self._cuda_devices()):
            torch.manual_seed(seed)
            if callable(self.train_split) or self.train_split is None:
                net.set_params(train_split=self.train_split)
            else:
                net.set_params(
                    train_split=ValidSplit(self.train_split, random_state=seed)
                )
            try:
                if warm:
                    net.partial_fit(past, future, epochs=epochs)
                else:
                    net.fit(past, future, epochs=epochs)
            except FloatingPointError:
                if warm:  # the fitted model stays as its last finished epoch left it
                    dict(net.callbacks_)["keep_finished_epoch"].restore(net)
                raise

        self.net_ = net
        self.history_ = net.history
        self.target_index_ = target_index
        self.x_scaler_, self.y_scaler_ = x_scaler, y_scaler
        self.n_targets_ = future.shape[2]
        self.n_future_ = future.shape[1]
        return self

    def predict(self, X) -> np.ndarray:
        """Forecast the future of each past window, free-running.

        Parameters
        ----------
        X : array-like of shape (n_samples, n_past, n_features) or \
                (n_samples, n_past)
            Past windows with the ``n_past_`` steps and features seen in fit.

        Returns
        -------
        y_pred : ndarray of shape (n_samples, n_future, n_targets)
            The forecasts, float64; 2-D ``(n_samples, n_future)`` or 1-D
            ``(n_samples,)`` when the ``y`` seen in fit was.
        """
        check_is_fitted(self)
        past = self._scaled(self._check_past(X, reset=False), self.x_scaler_)
        forecast = self.net_.predict(past).astype(np.float64)
        if not np.isfinite(forecast).all():
            raise self._not_finite_error(forecast)
        if self.y_scaler_ is not None:
            forecast = self.y_scaler_.inverse_transform(
                forecast.reshape(-1, self.n_targets_)
            ).reshape(forecast.shape)
        if self._y_ndim == 1:
            return forecast.reshape(-1)
        if self._y_ndim == 2:
            return forecast[:, :, 0]
        return forecast

    def score(self, X, y, sample_weight=None) -> float:
        """R² of the free-running forecasts over all predicted values.

        Parameters
        ----------
        X : array-like of shape (n_samples, n_past, n_features) or \
                (n_samples, n_past)
            Past windows.
        y : array-like of shape (n_samples, n_future, n_targets), \
                (n_samples, n_future) or (n_samples,)
            True futures.
        sample_weight : array-like of shape (n_samples,) or None, default=None
            Weight of each window.

        Returns
        -------
        score : float
            R² of all forecast values against ``y``, 3-D arrays flattened.
        """
        y_pred = self.predict(X)
        y_true = check_values(
            y, ensure_2d=False, allow_nd=True, dtype=FLOAT_DTYPES, input_name="y"
        )
        if y_true.size != y_pred.size:
            raise ValueError(
                f"y has shape {y_true.shape}, but the model forecasts "
                f"{y_pred.shape} for X. Pass the true futures of X's windows."
            )
        if sample_weight is not None:
            sample_weight = np.repeat(
                np.asarray(sample_weight, dtype=float), y_pred[0].size
            )
        return r2_score(y_true.ravel(), y_pred.ravel(), sample_weight=sample_weight)

    def save(self, path: str | os.PathLike) -> None:
        """Save the fitted model to one file, safely loadable with :meth:`load`.

        The file is a zip archive of ``model.json`` (the parameters and the
        fitted state: shapes, scalers' statistics, ``history_``) and
        ``weights.pt`` (the module's ``state_dict``). Loading it never
        unpickles an object, so unlike pickle it is safe for files from
        others. The optimizer is stored by name and must be a class of
        ``torch.optim``; ``callbacks``, a callable ``train_split`` and a
        ``RandomState`` are not stored (a warning says so) and are ``None``
        in the loaded model. The optimizer's state is not stored.

        Parameters
        ----------
        path : str or path-like
            Where to write the file (``.zip`` is a good suffix).
        """
        check_is_fitted(self)
        _persistence.save(self, path)

    @classmethod
    def load(cls, path: str | os.PathLike, *, device=None) -> Seq2SeqRegressor:
        """Load a model that :meth:`save` wrote; its predictions are identical.

        The weights are read with ``torch.load(..., weights_only=True)``; a
        file that holds anything but tensors and plain JSON is refused with a
        ``ValueError``, without running anything in it, as is a file whose
        weights do not fit the shapes its parameters describe.

        Parameters
        ----------
        path : str or path-like
            A file written by :meth:`save`.
        device : str or None, default=None
            Where to load the model (e.g. ``"cpu"``); ``None``: the saved
            ``device``, or the CPU (with a warning) for a model saved on a GPU
            when no GPU is available.

        Returns
        -------
        model : Seq2SeqRegressor
            The fitted model, ready to predict.
        """
        return _persistence.load(cls, path, device)

    def _check_fit_data(self, X, y):
        past = self._check_past(X, reset=True)
        if y is None:
            joined = past
            if joined.shape[1] <= self.n_future:
                raise ValueError(
                    f"With y=None, X holds joined past+future windows whose last "
                    f"n_future={self.n_future} steps are the target, but X has only "
                    f"{joined.shape[1]} time steps. Pass y, or windows longer than "
                    "n_future (e.g. from SeriesWindower.fit_transform)."
                )
            past, future = joined[:, : -self.n_future], joined[:, -self.n_future :]
            if self.target_features is not None:
                future = future[:, :, self._target_index(past, future, True)]
            self.n_features_in_ = self.n_past_ = past.shape[1]
            if hasattr(self, "feature_names_in_"):
                self.feature_names_in_ = self.feature_names_in_[: self.n_past_]
            self._y_ndim = 3
            return past, future
        y = check_values(
            y, ensure_2d=False, allow_nd=True, dtype=FLOAT_DTYPES, input_name="y"
        )
        check_consistent_length(past, y)
        self._y_ndim = y.ndim
        future = as_3d(y, one_d="samples")
        if future.shape[1] == 0 or future.shape[2] == 0:
            raise ValueError(
                f"y has shape {y.shape}: it needs at least one future step and "
                "one target. Pass futures of shape (n_samples, n_future, "
                "n_targets) with n_future >= 1 and n_targets >= 1."
            )
        return past, future

    def _check_past(self, X, *, reset):
        array = check_values(X, allow_nd=True, dtype=FLOAT_DTYPES, input_name="X")
        past = as_3d(array, one_d="samples")
        if 0 in past.shape[1:]:
            raise ValueError(
                f"X has shape {array.shape}: it needs at least one time step and "
                "one feature per time step. Pass windows of shape (n_samples, "
                "n_past, n_features) with n_past >= 1 and n_features >= 1."
            )
        if not reset and past.shape[1] != self.n_past_:
            raise ValueError(
                f"X has {past.shape[1]} features, but Seq2SeqRegressor is expecting "
                f"{self.n_past_} features as input: the model reads windows of "
                f"n_past={self.n_past_} past steps (X.shape[1]). Pass windows of "
                f"that length. After a SeriesWindower, the windower and the model "
                "need the same n_future, or the model learns a different n_past."
            )
        if not reset and past.shape[2] != self.n_channels_in_:
            raise ValueError(
                f"X has {past.shape[2]} features per time step, but "
                f"Seq2SeqRegressor was fitted with {self.n_channels_in_}. Pass "
                "windows with the same features (last axis) as in fit."
            )
        # feature names and n_features_in_, the way scikit-learn records them
        validate_data(self, X, reset=reset, skip_check_array=True)
        if reset:
            self.n_past_ = past.shape[1]
            self.n_channels_in_ = past.shape[2]
        return past

    def _target_index(self, past, future, joined):
        n_channels, n_targets = past.shape[2], future.shape[2]
        if self.target_features is None:
            return list(range(n_channels)) if n_targets == n_channels else None
        index = [int(i) for i in np.ravel(self.target_features)]
        if not index or any(not -n_channels <= i < n_channels for i in index):
            raise ValueError(
                f"target_features={self.target_features!r} must list indices of X's "
                f"{n_channels} features (last axis)."
            )
        index = [i % n_channels for i in index]
        if not joined and len(index) != n_targets:
            raise ValueError(
                f"target_features lists {len(index)} features, but y has "
                f"{n_targets} targets per step. List one feature of X per target "
                "of y, or pass target_features=None."
            )
        return index

    def _fit_scalers(self, past, future, target_index):
        if not self.scale:
            return None, None
        x_scaler = StandardScaler().fit(past.reshape(-1, past.shape[2]))
        # a target that is a past feature is scaled like it, so the decoder's
        # first input (the last observed value) and its outputs share units
        y_source = future if target_index is None else past[:, :, target_index]
        y_scaler = StandardScaler().fit(y_source.reshape(-1, y_source.shape[2]))
        return x_scaler, y_scaler

    @staticmethod
    def _scaled(array, scaler):
        largest = np.abs(array).max(initial=0.0)
        if scaler is not None:
            shape = array.shape
            array = scaler.transform(array.reshape(-1, shape[2])).reshape(shape)
        # float32 losses square the values: beyond ~1e15 they overflow
        if not np.abs(array).max(initial=0.0) < 1e15:
            raise ValueError(
                f"The windows hold values too large for the model, which computes "
                f"in float32 after scaling (the largest magnitude is {largest:.3g}). "
                "Rescale the data, e.g. divide it by a constant, and fit again."
            )
        return np.asarray(array, dtype=np.float32)

    def _build_net(self, past, future, target_index):
        n_train = len(past)
        if isinstance(self.train_split, Real):
            n_train = max(1, int(n_train * (1 - self.train_split)))
        steps_per_epoch = math.ceil(n_train / self.batch_size)
        max_epochs = self.max_epochs
        if max_epochs is None:
            max_epochs = math.ceil(self.max_steps / steps_per_epoch)
        callbacks = [
            ("divergence", _StopOnDivergence()),
            ("keep_finished_epoch", _KeepFinishedEpoch()),
        ]
        if self.clip_grad_norm is not None:
            callbacks.append(
                ("gradient_clipping", GradientNormClipping(self.clip_grad_norm))
            )
        if self.lr_schedule == "cosine":
            cosine = LRScheduler(
                torch.optim.lr_scheduler.CosineAnnealingLR,
                T_max=max_epochs * steps_per_epoch,
                step_every="batch",
                # every fit, warm start or partial_fit (also of a loaded model,
                # whose optimizer is fresh) runs a cycle of its own
                last_epoch=-1,
            )
            callbacks.append(("lr_schedule", cosine))
        callbacks += copy.deepcopy(self.callbacks or [])
        return _Seq2SeqNet(
            module=Seq2SeqModule,
            module__n_features=past.shape[2],
            module__n_targets=future.shape[2],
            module__n_future=future.shape[1],
            module__hidden_dim=self.hidden_dim,
            module__num_layers=self.num_layers,
            module__bidirectional=self.bidirectional,
            module__window_norm=self.window_norm,
            module__teacher_forcing=self.teacher_forcing,
            module__target_index=target_index,
            criterion=SummedStepMSE,
            alpha=self.alpha,
            optimizer=self.optimizer,
            lr=self.lr,
            max_epochs=max_epochs,
            batch_size=self.batch_size,
            iterator_train__shuffle=True,
            callbacks=callbacks,
            device=self.device,
            verbose=self.verbose,
        )

    def _torch_seed(self):
        if self.random_state is None:
            # fresh entropy that leaves numpy's and torch's global generators alone
            return int(np.random.default_rng().integers(2**31 - 1))
        return int(check_random_state(self.random_state).randint(2**31 - 1))

    def _check_more_data(self, X, y):
        """Validate windows that continue training: the first fit's shapes."""
        if y is not None:  # scikit-learn's message for another n_past or features
            self._check_past(X, reset=False)
        probe = clone(self)  # validation records shapes; self keeps its own
        past, future = probe._check_fit_data(X, y)
        seen = (self.n_past_, self.n_channels_in_, self.n_future_, self.n_targets_)
        found = (past.shape[1], past.shape[2], future.shape[1], future.shape[2])
        if found != seen or probe._y_ndim != self._y_ndim:
            raise ValueError(
                f"Training continues (warm_start=True or partial_fit) a model "
                f"fitted on windows of (n_past, n_features, n_future, n_targets) "
                f"= {seen} with {self._y_ndim}-D y, but got {found} with "
                f"{probe._y_ndim}-D y. Pass windows of the same shapes, or call "
                "fit with warm_start=False to train a new model."
            )
        return past, future

    def _continued_net(self, fresh):
        """The fitted net, set to this model's training parameters."""
        net = self.net_
        changed = [
            f"{key.removeprefix('module__')}: {getattr(net, key, None)!r} -> {value!r}"
            for key, value in vars(fresh).items()
            if key.startswith("module__")
            and key != "module__teacher_forcing"
            and getattr(net, key, None) != value
        ]
        if self.scale != (self.x_scaler_ is not None):
            changed.append(f"scale: {not self.scale} -> {self.scale}")
        if changed:
            raise ValueError(
                "Training continues (warm_start=True or partial_fit) the fitted "
                f"module, but its parameters changed ({'; '.join(changed)}). "
                "Restore them, or call fit with warm_start=False to train a new "
                "model."
            )
        net.set_params(lr=fresh.lr, batch_size=fresh.batch_size, verbose=fresh.verbose)
        net.alpha = fresh.alpha
        net.module_.teacher_forcing = self.teacher_forcing
        return net

    def _not_finite_error(self, forecast):
        n_bad = int((~np.isfinite(forecast)).reshape(len(forecast), -1).any(1).sum())
        where = f"The forecast of {n_bad} of {len(forecast)} windows is NaN or infinite"
        weights = self.net_.module_.parameters()
        if not all(torch.isfinite(w).all() for w in weights):
            return FloatingPointError(
                f"{where}: the model's weights are not finite. Fit it again with a "
                "smaller lr or clip_grad_norm=1.0 (or smaller)."
            )
        return ValueError(
            f"{where}: X's values are too large for the model, which computes in "
            "float32. Pass windows on the scale seen in fit, or rescale the data "
            "(e.g. divide it by a constant) and fit again."
        )

    def _cuda_devices(self):
        return [torch.device(self.device)] if "cuda" in str(self.device) else []

    def __sklearn_is_fitted__(self):
        # validation records n_past_ before training, which may still fail
        return hasattr(self, "net_")

    def __sklearn_tags__(self):
        tags = super().__sklearn_tags__()
        tags.input_tags.three_d_array = True
        tags.target_tags.required = False
        tags.target_tags.multi_output = True
        return tags
