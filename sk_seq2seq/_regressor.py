"""Seq2SeqRegressor: a scikit-learn regressor around a skorch-trained GRU seq2seq."""

from __future__ import annotations

import math
import os
from numbers import Integral, Real
from typing import BinaryIO

import numpy as np
import torch
from sklearn.base import BaseEstimator, RegressorMixin
from sklearn.utils import check_random_state
from sklearn.utils._param_validation import Interval, StrOptions
from sklearn.utils.validation import (
    _get_feature_names,
    check_is_fitted,
)
from skorch.callbacks import Callback
from skorch.dataset import ValidSplit

from . import _persistence
from ._conformal import check_coverage
from ._forecaster import WindowForecasterMixin
from ._net import build_net, continue_from, init_linear_path, warn_interrupted
from ._recipes import AUTO, RECIPES, budget_steps, choose_recipe, resolve
from ._scaling import fit_scalers, scaled, uncentred_targets
from ._training_data import check_windows, fit_series_scalers, lazy_training_data
from ._window_checks import (
    WindowShapes,
    check_known_future,
    check_training_windows,
)
from ._window_container import Windows


class Seq2SeqRegressor(WindowForecasterMixin, RegressorMixin, BaseEstimator):
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

    Parameters left at ``"auto"`` take their value from a recipe, chosen by
    the windows' length (``recipe``): short windows (the tutorial's 15 -> 15)
    get the ``"steps"`` model above; windows of 48 steps or more on either
    side get the ``"segments"`` model, which reads and forecasts in segments
    of 24 steps, decodes every output segment in parallel and treats every
    target as its own series (as SegRNN does): on the long-horizon benchmark
    ETTh1 it beats a linear model on the lags, which the step-by-step model
    does not, in a fraction of its time (``benchmarks/LTSF.md``).
    ``recipe_`` and ``settings_`` record the choice.

    Parameters
    ----------
    hidden_dim : int or "auto", default="auto"
        Size of every GRU layer's state. ``"auto"``: 32 in the ``"steps"``
        recipe (rather than the tutorial's 12: within the budget it
        forecasts the tutorial's curves with less than half the error,
        ``benchmarks/TUNING.md``), 128 in ``"segments"``.
    num_layers : int or "auto", default="auto"
        Stacked GRU layers in the encoder and in the decoder. ``"auto"``: 2
        in ``"steps"``, 1 in ``"segments"``.
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
    alpha : float or "auto", default="auto"
        Strength of the L2 penalty on the recurrent (and embedding) weights.
        ``"auto"``: 0.003 in ``"steps"``, as in the tutorial; 0 in
        ``"segments"``, which measured better without it.
    bidirectional : bool, default=False
        Read the past in both directions; see :class:`Seq2SeqModule`.
    recipe : {"auto", "steps", "segments"}, default="auto"
        Where the ``"auto"`` parameters take their values from (see above):
        ``"auto"`` picks ``"segments"`` when the past or the future window
        has 48 steps or more, else ``"steps"``.
    segment_length : int or "auto", default="auto"
        Steps the encoder reads, and the decoder forecasts, per GRU step.
        ``"auto"``: 1 in ``"steps"``, 24 in ``"segments"``.
    decoder : {"recurrent", "parallel"} or "auto", default="auto"
        ``"recurrent"`` forecasts step (segment) after step, each reading
        its previous forecast, as in the tutorial; ``"parallel"`` forecasts
        every output segment at once from the context and the segment's
        position, so errors cannot accumulate. ``"auto"``: ``"recurrent"``
        in ``"steps"``, ``"parallel"`` in ``"segments"``.
    attention : bool, default=False
        Let every decoder step attend over the encoder's outputs ("Seq2Seq
        + Attention"). Measured, it did not help: no gain on the tutorial
        task at 1.5 times the time, and worse on ETTh1.
    channel_independent : bool or "auto", default="auto"
        Forecast each target as its own series with shared weights (each
        reading its own past and every covariate's), as SegRNN and PatchTST
        do, rather than all targets jointly. ``"auto"``: jointly in
        ``"steps"``, independently in ``"segments"`` (on ETTh1's 7 columns:
        test MSE 0.369 against 0.405 jointly). Needs targets that are past
        features; one target is one series either way.
    window_norm : {"revin", "last_value"}, None or "auto", default="auto"
        Make each window's targets relative to the window, so that levels
        never seen in training (a trend) are forecast as well as familiar
        ones; covariates keep their level, which is information. ``"revin"``
        normalises each target by its window's mean and standard deviation
        and undoes it on the forecast (reversible instance normalisation),
        ``"last_value"`` forecasts changes from its last observed value,
        ``None`` relies on the global ``scale`` alone. ``"auto"``:
        ``"revin"`` in ``"steps"``, ``"last_value"`` in ``"segments"``.
        Measured (``benchmarks/FEATURES.md``): on a trend beyond the training
        range ``None`` fails (error 1000 times ``"revin"``'s); on the
        stationary tutorial curves plain ``"revin"`` doubles ``None``'s error,
        which ``window_stats_input`` wins back.
    window_stats_input : bool or "auto", default="auto"
        Give the encoder, beside the window-normalised targets, what the
        normalisation removed (each target's window level and log-spread),
        so that the model can still use the level where it matters.
        ``"auto"``: on in ``"steps"`` (tutorial curves: 0.13 times
        ``Ridge``'s error, against 0.29 without, and as good as plain
        ``"revin"`` on a trend), off in ``"segments"`` (on ETTh1 it helped on
        the validation rows and hurt on the later test rows: it learns the
        level of a shifting series). No effect with ``window_norm=None``.
    scale : bool, default=True
        Standardise every feature and target with statistics learned in
        ``fit`` (scikit-learn's ``StandardScaler``) and invert it on
        ``predict``. A target that is also a past feature shares that
        feature's statistics. What it changes besides ``window_norm``: the
        covariates the model reads (which keep their level) and the weight of
        each target in the loss (targets of different units count alike). The
        statistics are those of the training windows' pasts, also on the lazy
        windows of :meth:`SeriesWindower.fit_transform` (computed from the
        series, each step weighed by the windows that hold it).
    target_features : list of int or None, default=None
        Which past features the targets are. With ``y=None`` these features
        of the joined windows' future part form the target (``None``: all).
        With ``y``, ``None`` means ``y``'s channels are ``X``'s when their
        counts match, else unrelated. The decoder starts from the targets'
        last observed value when they are known, else from zeros.
    future_features : list of int or None, default=None
        Features known in advance (calendar, holidays, a weather forecast,
        a planned price): the decoder reads their values at every future
        step. ``X`` then holds each window's past followed by its
        ``n_future`` future steps, ``(n_samples, n_past + n_future,
        n_features)``, in ``fit`` (with ``y`` or joined) and in
        ``predict``; over the future steps only these features are read and
        the other features' cells may be NaN. A NaN in the past, or in a
        known future value, is a ``ValueError`` naming the feature and the
        step. ``None``: no feature is known in advance.
    lr : float or "auto", default="auto"
        Initial learning rate of the optimizer (see ``lr_schedule``).
        ``"auto"``: 0.02 in ``"steps"``, 0.001 in ``"segments"``.
    lr_schedule : {"cosine"} or None, default="cosine"
        ``"cosine"`` decays the learning rate from ``lr`` to zero along a
        cosine over the training budget, batch by batch (skorch's
        ``LRScheduler``); ``None`` keeps it constant. Measured on the
        tutorial task the decay lowers the error by about a third at the same
        budget. Every ``fit`` (also with ``warm_start=True``) runs one decay
        over its budget; successive ``partial_fit`` calls continue one decay
        over the budget, epoch by epoch, and start a new one after it. With
        your own ``LRScheduler`` in ``callbacks``, pass ``None``.
    max_epochs : int or None, default=None
        Passes over the data. ``None`` derives them from ``max_steps``, so
        that small and large data sets get the same training budget.
    max_steps : int or "auto", default="auto"
        Optimizer steps (batches) to train for when ``max_epochs=None``,
        rounded up to whole epochs. The budget is in steps rather than
        epochs so that one default serves 20,000 windows (26 epochs, about a
        minute on 2 CPU cores) and a series of 2,000 windows (250 epochs)
        alike. ``"auto"``: 2000 in ``"steps"``, 1000 in ``"segments"``. On
        the lazy windows of :meth:`SeriesWindower.fit_transform`, when they
        outnumber ``max_steps * batch_size``, that many windows (plus the
        validation fraction of a float ``train_split``) are drawn at random
        without replacement, seeded by ``random_state``, and one epoch is one
        pass over them: training is one epoch of ``max_steps`` steps, and the
        windows are never all in memory at once.
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
    calibration : float or None, default=0.1
        Fraction of the windows kept out of training to calibrate
        :meth:`predict_interval` (split conformal prediction): the last
        windows in the order given (for windows cut from a series, the most
        recent ones). The ``n_future - 1`` windows just before them are left
        out too, so that no training target overlaps a calibration target of
        windows cut from one series at stride 1. (Windows of ``k`` series
        interleaved in time span only ``(n_future - 1) / k`` steps over that
        gap, so their calibration errors can come out slightly narrow.) The
        model trains on the rest: ``0.1`` costs about a tenth of the training
        data. ``None`` trains on every window and leaves
        :meth:`predict_interval` unavailable; so does a fit on too few
        windows to hold any out.
    train_split : float, callable or None, default=None
        ``None`` trains on all training windows; a float in (0, 1) keeps that
        fraction of them for validation (``valid_loss`` in ``history_``); a
        callable is passed to skorch as is (e.g. ``skorch.dataset.ValidSplit``).
    device : str or torch.device, default="cpu"
        Where the module runs (``"cuda"`` for a GPU); see skorch. Checked
        before training: a device torch does not know, or CUDA on a machine
        without it, is a ``ValueError``.
    warm_start : bool, default=False
        When ``True`` and the model is fitted, ``fit`` continues training the
        current weights (and optimizer state) for a new training budget
        instead of starting again; the scalers learned in the first fit are
        kept. The windows' shapes and the module's parameters (``hidden_dim``,
        ``num_layers``, ...) must not change. The training parameters
        (``lr``, ``lr_schedule``, ``batch_size``, ``alpha``,
        ``teacher_forcing``, ``optimizer``, ``clip_grad_norm``,
        ``callbacks``, the budget) are applied as they are now; the
        optimizer's state carries over unless ``optimizer`` changed.
    verbose : int, default=0
        ``1`` prints skorch's table of losses after every epoch.
    random_state : int, RandomState instance or None, default=None
        Seeds the initial weights, the order of the batches and the
        validation split: the same value gives identical predictions.
        Training leaves the global torch and numpy random states as they were.

    Attributes
    ----------
    recipe_ : {"steps", "segments"}
        The recipe the ``"auto"`` parameters came from.
    settings_ : dict
        The values used for the parameters that may be ``"auto"``.
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
    calibration_residuals_ : ndarray of shape (n_calibration, n_future, \
            n_targets) or None
        Errors ``y - forecast`` of the fitted model on the calibration
        windows, from which :meth:`predict_interval` takes its widths;
        ``None`` without calibration windows.
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
        "hidden_dim": [Interval(Integral, 1, None, closed="left"), StrOptions({AUTO})],
        "num_layers": [Interval(Integral, 1, None, closed="left"), StrOptions({AUTO})],
        "n_future": [Interval(Integral, 1, None, closed="left")],
        "teacher_forcing": [Interval(Real, 0, 1, closed="both")],
        "alpha": [Interval(Real, 0, None, closed="left"), StrOptions({AUTO})],
        "bidirectional": ["boolean"],
        "recipe": [StrOptions({AUTO, *RECIPES})],
        "segment_length": [
            Interval(Integral, 1, None, closed="left"),
            StrOptions({AUTO}),
        ],
        "decoder": [StrOptions({AUTO, "recurrent", "parallel"})],
        "attention": ["boolean"],
        "channel_independent": ["boolean", StrOptions({AUTO})],
        "window_norm": [StrOptions({AUTO, "last_value", "revin", "last_std"}), None],
        "window_stats_input": ["boolean", StrOptions({AUTO})],
        "scale": ["boolean"],
        "target_features": [None, "array-like"],
        "future_features": [None, "array-like"],
        "lr": [Interval(Real, 0, None, closed="neither"), StrOptions({AUTO})],
        "lr_schedule": [StrOptions({"cosine"}), None],
        "max_epochs": [None, Interval(Integral, 1, None, closed="left")],
        "max_steps": [Interval(Integral, 1, None, closed="left"), StrOptions({AUTO})],
        "batch_size": [Interval(Integral, 1, None, closed="left")],
        "optimizer": [callable],
        "clip_grad_norm": [None, Interval(Real, 0, None, closed="neither")],
        "callbacks": [None, list],
        "calibration": [None, Interval(Real, 0, 1, closed="neither")],
        "train_split": [None, Interval(Real, 0, 1, closed="neither"), callable],
        "device": [str, torch.device],
        "warm_start": ["boolean"],
        "verbose": ["verbose"],
        "random_state": ["random_state"],
    }

    def __init__(
        self,
        hidden_dim: int | str = AUTO,
        num_layers: int | str = AUTO,
        n_future: int = 15,
        *,
        teacher_forcing: float = 0.0,
        alpha: float | str = AUTO,
        bidirectional: bool = False,
        recipe: str = AUTO,
        segment_length: int | str = AUTO,
        decoder: str = AUTO,
        attention: bool = False,
        channel_independent: bool | str = AUTO,
        window_norm: str | None = AUTO,
        window_stats_input: bool | str = AUTO,
        scale: bool = True,
        target_features: list[int] | None = None,
        future_features: list[int] | None = None,
        lr: float | str = AUTO,
        lr_schedule: str | None = "cosine",
        max_epochs: int | None = None,
        max_steps: int | str = AUTO,
        batch_size: int = 256,
        optimizer: type[torch.optim.Optimizer] = torch.optim.Adam,
        clip_grad_norm: float | None = 1.0,
        callbacks: list | None = None,
        calibration: float | None = 0.1,
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
        self.recipe = recipe
        self.segment_length = segment_length
        self.decoder = decoder
        self.attention = attention
        self.channel_independent = channel_independent
        self.window_norm = window_norm
        self.window_stats_input = window_stats_input
        self.scale = scale
        self.target_features = target_features
        self.future_features = future_features
        self.lr = lr
        self.lr_schedule = lr_schedule
        self.max_epochs = max_epochs
        self.max_steps = max_steps
        self.batch_size = batch_size
        self.optimizer = optimizer
        self.clip_grad_norm = clip_grad_norm
        self.callbacks = callbacks
        self.calibration = calibration
        self.train_split = train_split
        self.device = device
        self.warm_start = warm_start
        self.verbose = verbose
        self.random_state = random_state

    def fit(self, X, y=None) -> Seq2SeqRegressor:
        """Train the encoder-decoder on past windows and their futures.

        A ``fit`` that raises (bad input, divergence) leaves the model as it
        was before the call; so does a ``KeyboardInterrupt`` of a model that
        was already fitted (an unfitted one keeps its last finished epoch).

        Parameters
        ----------
        X : array-like of shape (n_samples, n_past, n_features) or \
                (n_samples, n_past)
            Past windows. With ``y=None``: joined windows of shape
            ``(n_samples, n_past + n_future, n_features)`` whose last
            ``n_future`` steps are the target (what
            :meth:`SeriesWindower.fit_transform` returns). Those lazy windows
            are cut from their series batch by batch, never all at once.
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
        continuing = self.warm_start and hasattr(self, "net_")
        return self._fit(X, y, continuing=continuing, epochs=None)

    def partial_fit(self, X, y=None) -> Seq2SeqRegressor:
        """Train one more epoch over the windows, from the current weights.

        As scikit-learn's ``partial_fit`` (e.g. ``MLPRegressor``): one pass
        over ``X``, continuing from the weights and optimizer state of the
        previous ``fit`` or ``partial_fit``. The first call on an unfitted
        model fits the scalers and initialises the weights; later calls keep
        the scalers and require windows of the same shapes. The cosine
        schedule (``lr_schedule``) continues where the previous call left it.
        For a whole training budget from the current weights, use
        ``warm_start=True``. A call that fails leaves the model as it was.

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
        return self._fit(X, y, continuing=hasattr(self, "net_"), epochs=1)

    def _fit(self, X, y, *, continuing, epochs):
        # everything is computed in local variables and assigned at the end,
        # so that a failure leaves a fitted model as it was
        self._check_training_params()
        # a raw history's windows (SeriesWindower): never materialised
        lazy = isinstance(X, Windows) and y is None
        if lazy:
            shapes = check_windows(
                X,
                n_future=self.n_future,
                target_features=self.target_features,
                future_features=self.future_features,
            )
        else:
            past, known, future, shapes = check_training_windows(
                X,
                y,
                n_future=self.n_future,
                target_features=self.target_features,
                future_features=self.future_features,
            )
        n_steps_in = self._n_steps_in(shapes)
        feature_names = _get_feature_names(X)
        if feature_names is not None:
            feature_names = feature_names[:n_steps_in]
        if continuing:
            self._check_continuation(shapes, n_steps_in)
        n_train, n_calibration = self._calibration_split(
            shapes, len(X) if lazy else len(past)
        )
        offset = 0
        if continuing:
            x_scaler, y_scaler = self.x_scaler_, self.y_scaler_
            offset = 0 if epochs is None else _batches_trained(self.net_)
        elif not self.scale:
            x_scaler, y_scaler = None, None
        elif lazy:
            x_scaler, y_scaler = fit_series_scalers(X, shapes, n_train)
        else:
            x_scaler, y_scaler = fit_scalers(
                past[:n_train], future[:n_train], shapes.target_index
            )
        seed = self._torch_seed()
        recipe, settings = self._settings(shapes)
        if self.max_steps == AUTO and settings["budget_epochs"] is not None:
            # small data, small budget: that many passes, within the recipe's
            settings["max_steps"] = budget_steps(
                n_train, int(self.batch_size), settings
            )
        uncentred = settings["scaled_loss"] or settings["series_scale"]
        if not continuing and x_scaler is not None and uncentred:
            # per-window scaling, not a global mean, makes series of any level
            # comparable; centring levels 1 and 1e5 together leaves float32 noise
            x_scaler, y_scaler = uncentred_targets(
                x_scaler, y_scaler, shapes.target_index
            )
        if lazy:
            # (past, future) pairs cut batch by batch; an epoch may sample X
            inputs, future, calibration = lazy_training_data(
                X,
                shapes,
                x_scaler,
                y_scaler,
                n_train,
                n_calibration,
                self,
                seed,
                max_steps=settings["max_steps"],
                series_scale=settings["series_scale"],
            )
        else:
            inputs, future, calibration = _array_training_data(
                (past, known, future),
                shapes,
                n_train,
                n_calibration,
                x_scaler,
                y_scaler,
            )
        # lazy inputs are a dataset of (input, target) pairs
        n_inputs = len(inputs) if future is None else len(future)
        self._check_train_split(n_inputs)

        net = self._build_net(shapes, n_inputs, settings, schedule_offset=offset)
        if continuing:
            self._check_same_module(net)
        with torch.random.fork_rng(devices=self._cuda_devices()):
            torch.manual_seed(seed)
            net.set_params(train_split=self._skorch_train_split(seed))
            if continuing:
                continue_from(net, self.net_)
                net.partial_fit(inputs, future, epochs=epochs or net.max_epochs)
            elif settings["linear_path"]:
                # the linear path starts at its least squares, then all trains
                init_linear_path(net, inputs, future, seed)
                net.partial_fit(inputs, future, epochs=epochs or net.max_epochs)
            else:
                net.fit(inputs, future, epochs=epochs)
            residuals = None
            if calibration is not None:
                calibration_inputs, calibration_future = calibration
                forecast = _forecast(net, calibration_inputs, y_scaler)
                residuals = calibration_future - forecast

        interrupted = dict(net.callbacks_)["keep_finished_epoch"].interrupted_
        if interrupted is not None and hasattr(self, "net_"):
            warn_interrupted(interrupted, "the model is as it was before this call")
            return self
        if interrupted is not None:
            finished = interrupted - 1
            warn_interrupted(
                interrupted,
                f"the model keeps the weights of epoch {finished}, the last "
                "finished one"
                if finished
                else "the model keeps its initial, untrained weights",
            )
        self.recipe_, self.settings_ = recipe, settings
        self.net_ = net
        self.history_ = net.history
        self.calibration_residuals_ = residuals
        self.x_scaler_, self.y_scaler_ = x_scaler, y_scaler
        self.n_features_in_ = n_steps_in
        self.n_past_ = shapes.n_past
        if feature_names is not None:
            self.feature_names_in_ = feature_names
        elif hasattr(self, "feature_names_in_"):
            del self.feature_names_in_
        self.n_channels_in_ = shapes.n_channels
        self.n_future_ = shapes.n_future
        self.n_targets_ = shapes.n_targets
        self.target_index_ = (
            None if shapes.target_index is None else list(shapes.target_index)
        )
        self.future_index_ = list(shapes.future_index)
        self._y_ndim = shapes.y_ndim
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
        return self._as_y_ndim(self._checked_forecast(X))

    def predict_interval(self, X, coverage: float = 0.9):
        """Forecast intervals that hold the true future with probability ``coverage``.

        Split conformal prediction: ``fit`` kept the last ``calibration``
        fraction of the windows out of training and recorded the model's
        errors on them (``calibration_residuals_``). The interval of each
        horizon step and target is the forecast plus or minus the
        ``ceil((n + 1) * coverage)``-th smallest absolute error of that step
        and target among the ``n`` calibration windows. When new windows are
        exchangeable with the calibration windows (drawn like them), the
        interval holds the true value with probability at least ``coverage``,
        on average over windows; its width is the same for every window.

        Parameters
        ----------
        X : array-like of shape (n_samples, n_past, n_features) or \
                (n_samples, n_past)
            Past windows, as for :meth:`predict`.
        coverage : float, default=0.9
            Probability, strictly between 0 and 1, that an interval holds the
            true value. Needs at least ``coverage / (1 - coverage)``
            calibration windows (9 for 0.9, 19 for 0.95).

        Returns
        -------
        lower, upper : ndarray, each of the shape of ``predict(X)``
            The bounds, ``(n_samples, n_future, n_targets)`` (or 2-D / 1-D
            when the ``y`` seen in fit was).

        Examples
        --------
        >>> from sk_seq2seq import Seq2SeqRegressor, make_sine_cosine
        >>> series = make_sine_cosine(200, 30, random_state=0)
        >>> X, y = series[:, :15], series[:, 15:]
        >>> model = Seq2SeqRegressor(max_epochs=2, random_state=0).fit(X, y)
        >>> lower, upper = model.predict_interval(X[:5], coverage=0.8)
        >>> lower.shape, bool((lower <= upper).all())
        ((5, 15, 1), True)
        """
        check_is_fitted(self)
        coverage = check_coverage(coverage)
        if self.calibration_residuals_ is None:
            raise ValueError(
                "predict_interval needs calibration windows, but this model "
                + (
                    "was fitted with calibration=None"
                    if self.calibration is None
                    else "saw too few windows in fit to hold any out"
                )
                + ". Fit it with calibration=0.1 (the default) on more windows."
            )
        return self._bounds(self._checked_forecast(X), coverage)

    def save(self, path: str | os.PathLike | BinaryIO) -> None:
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
        path : str, path-like or binary file object
            Where to write the file (``.zip`` is a good suffix), or an open
            file (e.g. ``io.BytesIO``) to write to.
        """
        check_is_fitted(self)
        _persistence.save(self, path)

    @classmethod
    def load(
        cls, path: str | os.PathLike | BinaryIO, *, device=None
    ) -> Seq2SeqRegressor:
        """Load a model that :meth:`save` wrote; its predictions are identical.

        The weights are read with ``torch.load(..., weights_only=True)``; a
        file that holds anything but tensors and plain JSON is refused with a
        ``ValueError``, without running anything in it, as is a file whose
        fitted state or weights are inconsistent.

        Parameters
        ----------
        path : str, path-like or binary file object
            A file written by :meth:`save`, or an open binary file of one.
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

    def _check_continuation(self, shapes: WindowShapes, n_steps_in: int) -> None:
        """Refuse to continue training on windows of other shapes."""
        if shapes == self._shapes():
            return
        # scikit-learn's words first when the number of steps differs
        steps = (
            f"X has {n_steps_in} features, but Seq2SeqRegressor is expecting "
            f"{self.n_features_in_} features as input. "
            if n_steps_in != self.n_features_in_
            else ""
        )
        raise ValueError(
            f"{steps}Training continues (warm_start=True or partial_fit) a model "
            f"fitted on windows of {self._shapes().describe()}, but got "
            f"{shapes.describe().split(' = ')[1]}. Pass windows of the same "
            "shapes, or call fit with warm_start=False to train a new model."
        )

    def _checked_forecast(self, X) -> np.ndarray:
        """3-D forecasts of ``X``'s windows; never NaN or infinite."""
        forecast = _forecast(self.net_, self._check_inputs(X), self.y_scaler_)
        if not np.isfinite(forecast).all():
            raise self._not_finite_error(forecast)
        return forecast

    def _n_steps_in(self, shapes: WindowShapes) -> int:
        """Time steps of ``predict``'s windows: the past, and the known future."""
        return shapes.n_past + (shapes.n_future if shapes.future_index else 0)

    def _check_inputs(self, X):
        """``predict``'s windows, checked, as the scaled input of ``net_``."""
        if not self.future_index_:
            return _inputs(self._check_past(X), None, self.x_scaler_, ())
        past, known, _ = check_known_future(
            X, n_future=self.n_future_, future_features=self.future_index_
        )
        self._check_past(past, X)
        return _inputs(past, known, self.x_scaler_, self.future_index_)

    def _check_training_params(self):
        """Checks of parameters that ``_parameter_constraints`` cannot express."""
        try:
            device = torch.device(self.device)
        except (RuntimeError, TypeError) as error:
            raise ValueError(
                f"device={self.device!r} is not a device torch knows ({error}). "
                "Pass 'cpu', or 'cuda' (or 'cuda:0', ...) for a GPU."
            ) from None
        if device.type == "cuda" and not torch.cuda.is_available():
            raise ValueError(
                f"device={self.device!r}, but CUDA is not available on this "
                "machine (no GPU, or a torch built without CUDA). Pass "
                "device='cpu'."
            )
        if isinstance(self.optimizer, type) and not issubclass(
            self.optimizer, torch.optim.Optimizer
        ):
            raise TypeError(
                f"optimizer={self.optimizer.__name__} is not a torch optimizer. "
                "Pass a class of torch.optim, e.g. torch.optim.Adam."
            )
        for callback in self.callbacks or []:
            item = callback[1] if isinstance(callback, tuple) else callback
            if isinstance(callback, tuple) and (
                len(callback) != 2 or not isinstance(callback[0], str)
            ):
                item = None
            if not isinstance(item, Callback) and not (
                isinstance(item, type) and issubclass(item, Callback)
            ):
                raise TypeError(
                    f"callbacks holds {callback!r}, which is not a skorch callback. "
                    "Pass skorch callbacks (e.g. skorch.callbacks.EarlyStopping()) "
                    "or (name, callback) pairs."
                )
            monitor = getattr(item, "monitor", None)
            if (
                self.train_split is None
                and isinstance(monitor, str)
                and monitor.startswith("valid_")
            ):
                raise ValueError(
                    f"The callback {type(item).__name__} monitors {monitor!r}, but "
                    "train_split=None keeps no validation windows. Pass "
                    "train_split=0.2 (a fraction of the windows for validation), "
                    "or monitor 'train_loss'."
                )

    def _calibration_split(self, shapes: WindowShapes, n_windows: int):
        """Windows to train on and to calibrate on: ``(n_train, n_calibration)``.

        The calibration windows are the last ones; the ``n_future - 1``
        before them are dropped, so that no training target overlaps theirs.
        """
        if self.calibration is None:
            return n_windows, 0
        n_calibration = math.floor(n_windows * self.calibration)
        n_train = n_windows - n_calibration - (shapes.n_future - 1)
        if n_calibration < 1 or n_train < 1:
            return n_windows, 0
        return n_train, n_calibration

    def _check_train_split(self, n_windows):
        if not isinstance(self.train_split, Real):
            return
        n_valid = math.ceil(n_windows * self.train_split)
        if n_valid < 1 or n_windows - n_valid < 1:
            raise ValueError(
                f"train_split={self.train_split} keeps {n_valid} of {n_windows} "
                "windows for validation, which leaves "
                f"{n_windows - n_valid} to train on. Pass more windows, or "
                "train_split=None to train on all of them."
            )

    def _skorch_train_split(self, seed):
        if callable(self.train_split) or self.train_split is None:
            return self.train_split
        return ValidSplit(float(self.train_split), random_state=seed)

    def _settings(self, shapes: WindowShapes) -> tuple[str, dict]:
        """The recipe and the values of the parameters that may be ``"auto"``."""
        recipe = choose_recipe(self.recipe, shapes.n_past, shapes.n_future)
        params = self.get_params(deep=False)
        multi_target = shapes.target_index is not None and shapes.n_targets > 1
        return recipe, resolve(
            params, recipe, multi_target=multi_target, n_past=shapes.n_past
        )

    def _module_params(self, shapes: WindowShapes, settings: dict) -> dict:
        return {
            "n_features": shapes.n_channels,
            "n_targets": shapes.n_targets,
            "n_future": shapes.n_future,
            "hidden_dim": int(settings["hidden_dim"]),
            "num_layers": int(settings["num_layers"]),
            "bidirectional": bool(self.bidirectional),
            "window_norm": settings["window_norm"],
            # the statistics of a normalisation that happens
            "window_stats_input": bool(settings["window_stats_input"])
            and settings["window_norm"] is not None
            and shapes.target_index is not None,
            "segment_length": int(settings["segment_length"]),
            "decoder": settings["decoder"],
            "attention": bool(self.attention),
            "channel_independent": bool(settings["channel_independent"]),
            "teacher_forcing": float(self.teacher_forcing),
            "target_index": None
            if shapes.target_index is None
            else list(shapes.target_index),
            "n_future_features": len(shapes.future_index),
            "linear_path": bool(settings["linear_path"]),
            "n_past": shapes.n_past if settings["linear_path"] else None,
            "scaled_loss": bool(settings["scaled_loss"]),
        }

    def _build_net(
        self,
        shapes: WindowShapes,
        n_windows: int,
        settings: dict,
        *,
        schedule_offset=0,
    ):
        n_train = n_windows
        if isinstance(self.train_split, Real):
            n_train -= math.ceil(n_windows * self.train_split)
        batch_size = int(self.batch_size)
        steps_per_epoch = math.ceil(max(n_train, 1) / batch_size)
        max_epochs = self.max_epochs
        if max_epochs is None:
            max_epochs = math.ceil(int(settings["max_steps"]) / steps_per_epoch)
        return build_net(
            module_params=self._module_params(shapes, settings),
            alpha=float(settings["alpha"]),
            optimizer=self.optimizer,
            lr=float(settings["lr"]),
            max_epochs=int(max_epochs),
            batch_size=batch_size,
            steps_per_epoch=steps_per_epoch,
            lr_schedule=self.lr_schedule,
            schedule_offset=schedule_offset,
            clip_grad_norm=None
            if self.clip_grad_norm is None
            else float(self.clip_grad_norm),
            callbacks=self.callbacks,
            device=self.device,
            verbose=int(self.verbose),
        )

    def _check_same_module(self, net):
        """Refuse to continue training a module whose parameters changed."""
        previous = self.net_
        changed = [
            f"{key.removeprefix('module__')}: {getattr(previous, key, None)!r} -> "
            f"{value!r}"
            for key, value in vars(net).items()
            if key.startswith("module__")
            and key != "module__teacher_forcing"
            and getattr(previous, key, None) != value
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

    def _torch_seed(self):
        if self.random_state is None:
            # fresh entropy that leaves numpy's and torch's global generators alone
            return int(np.random.default_rng().integers(2**31 - 1))
        return int(check_random_state(self.random_state).randint(2**31 - 1))

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

    def __sklearn_tags__(self):
        tags = super().__sklearn_tags__()
        tags.input_tags.three_d_array = True
        tags.target_tags.required = False
        tags.target_tags.multi_output = True
        return tags


def _array_training_data(windows, shapes, n_train, n_calibration, x_scaler, y_scaler):
    """The net's training inputs and targets, and the calibration windows.

    ``windows`` is ``(past, known, future)`` as checked; the first ``n_train``
    train and the last ``n_calibration`` calibrate (``calibration`` is
    ``(inputs, unscaled future)``, or ``None`` without calibration windows).
    """
    past, known, future = windows

    def part(array, rows):
        return None if array is None else array[rows]

    train = slice(None, n_train)
    inputs = _inputs(
        part(past, train), part(known, train), x_scaler, shapes.future_index
    )
    calibration = None
    if n_calibration:
        held = slice(len(past) - n_calibration, None)
        calibration = (
            _inputs(part(past, held), part(known, held), x_scaler, shapes.future_index),
            future[held],
        )
    return inputs, scaled(future[train], y_scaler), calibration


def _inputs(past, known, x_scaler, future_index):
    """The net's input: scaled past windows, and the known future if any.

    Known future values are scaled like the same features' past.
    """
    past = scaled(past, x_scaler)
    if known is None:
        return past
    if x_scaler is not None:
        index = list(future_index)
        known = (known - x_scaler.mean_[index]) / x_scaler.scale_[index]
    return {"past": past, "future_covariates": scaled(known, None)}


def _forecast(net, past, y_scaler) -> np.ndarray:
    """``net``'s float64 forecasts ``(n, n_future, n_targets)`` in the data's units.

    torch's data loader draws a seed from the global generator: forked, so
    that forecasting leaves the user's random state alone.
    """
    with torch.random.fork_rng(devices=[]):
        forecast = net.predict(past).astype(np.float64)
    if y_scaler is not None:
        forecast = y_scaler.inverse_transform(
            forecast.reshape(-1, forecast.shape[2])
        ).reshape(forecast.shape)
    return forecast


def _batches_trained(net) -> int:
    """Optimizer steps in ``net``'s history: where a continued schedule resumes."""
    if not len(net.history):
        return 0
    return int(sum(net.history[:, "train_batch_count"]))
