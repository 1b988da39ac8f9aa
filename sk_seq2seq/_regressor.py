"""Seq2SeqRegressor: a scikit-learn regressor around a skorch-trained GRU seq2seq."""

from __future__ import annotations

import os
from numbers import Integral, Real
from typing import BinaryIO

import numpy as np
import torch
from sklearn.base import BaseEstimator, RegressorMixin
from sklearn.utils import check_random_state
from sklearn.utils._param_validation import Interval, StrOptions
from sklearn.utils.validation import (
    check_is_fitted,
)

from . import _persistence
from ._conformal import check_coverage
from ._forecaster import WindowForecasterMixin
from ._net import (
    changed_module_params,
    check_net_params,
    forecast,
    interruption,
    not_finite_error,
    warn_interrupted,
)
from ._recipes import AUTO, RECIPES
from ._runs import refit, train_runs, usable_recipes
from ._threads import N_THREADS_CONSTRAINT, with_intra_op_threads
from ._training_data import (
    calibration_errors,
    net_inputs,
    training_data,
)
from ._window_checks import ROLES, WindowShapes, check_known_future


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

    Parameters left at ``"auto"`` take their value from a recipe
    (``recipe``). The ``"segments"`` model reads and forecasts in segments
    (a quarter of the past, at most 24 steps), decodes every output
    segment in parallel and treats every target as its own series (as
    SegRNN does); it is scale-free (each window's targets relative to
    their last value and spread, each series of a panel counting alike in
    the loss) and adds a linear map from the past to the future to the
    recurrent forecast, which starts silent: the model starts as NLinear's
    least squares without intercept (or the last value, unless least
    squares validates better by more than a standard error). Windows of 48
    steps or more on either side get it; shorter ones train it and the
    ``"steps"`` model above, and keep ``"steps"`` only if it at most halves
    the validation error (the tutorial's curves). With the default
    ``train_split="auto"`` a tenth of each series' most recent windows
    validates: training keeps the best epoch, the start included. On
    ETTh1, M4 Weekly, three statsmodels series and panels whose levels span
    six orders of magnitude it is within 2 % of the best of four simple
    baselines or better (``benchmarks/results/REAL.md``). ``recipe_`` and
    ``settings_`` record the choice.

    Parameters
    ----------
    hidden_dim : int or "auto", default="auto"
        Size of every GRU layer's state. ``"auto"``: 32 in the ``"steps"``
        recipe (rather than the tutorial's 12: within the budget it
        forecasts the tutorial's curves with less than half the error,
        ``benchmarks/results/TUNING.md``), 128 in ``"segments"``.
    num_layers : int or "auto", default="auto"
        Stacked GRU layers in the encoder and in the decoder. ``"auto"``: 2
        in ``"steps"``, 1 in ``"segments"``.
    n_future : int or None, default=None
        Forecast horizon, read only by ``fit(X)`` with ``y=None``: ``X`` then
        holds joined windows whose last ``n_future`` steps are the target.
        ``None``: the horizon the :class:`SeriesWindower` that cut the windows
        was told (say it once, there); plain arrays of joined windows need it
        here. Said to both, the two must agree. With ``y`` the horizon is
        ``y``'s.
    teacher_forcing : float, default=0.0
        Probability that, while training, the decoder reads the true previous
        value instead of its own forecast. ``0.0`` is free-running training:
        on the tutorial task, after the same 29 epochs, it forecasts with
        about a seventh of the error of teacher forcing (``1.0``, the
        tutorial's setting, which runs the decoder as one GRU call; 0.10
        against 0.74 times ``Ridge``'s error,
        ``benchmarks/results/RESULTS.md``, section 3). Values in between are
        scheduled sampling.
    alpha : float or "auto", default="auto"
        Strength of the L2 penalty on the recurrent (and embedding) weights.
        ``"auto"``: 0.003 in ``"steps"``, as in the tutorial; 0 in
        ``"segments"``, which measured better without it.
    bidirectional : bool, default=False
        Read the past in both directions; see :class:`Seq2SeqModule`.
    recipe : {"auto", "steps", "segments"}, default="auto"
        Where the ``"auto"`` parameters take their values from (see above).
        ``"auto"``: ``"segments"`` when the past or the future window has 48
        steps or more. Shorter windows train both recipes and keep
        ``"segments"`` unless ``"steps"`` at most halves its error on the
        validation windows, by more than one standard error (the one that
        wins on real short series, and the one the tutorial's curves need;
        ``benchmarks/results/REAL.md``). ``recipe_`` says which was kept.
    segment_length : int or "auto", default="auto"
        Steps the encoder reads, and the decoder forecasts, per GRU step.
        ``"auto"``: 1 in ``"steps"``; in ``"segments"`` a quarter of
        ``n_past``, at most 24.
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
    window_norm : {"revin", "last_value", "last_std"}, None or "auto", \
            default="auto"
        Make each window's targets relative to the window, so that levels
        never seen in training (a trend) are forecast as well as familiar
        ones; covariates keep their level, which is information. ``"revin"``
        normalises each target by its window's mean and standard deviation
        and undoes it on the forecast (reversible instance normalisation),
        ``"last_value"`` forecasts changes from its last observed value,
        ``"last_std"`` changes from it in units of the window's spread (a
        forecast that scales with its input), ``None`` relies on the global
        ``scale`` alone. ``"auto"``: ``"revin"`` in ``"steps"``,
        ``"last_std"`` in ``"segments"``.
        Measured (``benchmarks/results/FEATURES.md``): on a trend beyond the training
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
        of the joined windows' future part form the target (``None``: those
        the windower was told, else all).
        With ``y``, ``None`` means ``y``'s channels are ``X``'s when their
        counts match (a ``UserWarning`` says when their mean absolute levels
        are more than 1000 times apart), else unrelated; ``[]`` says that
        ``y`` is not among ``X``'s features: it is then scaled on its own.
        The decoder starts from the targets' last observed value when they
        are known, else from zeros.
    future_features : list of int or None, default=None
        Features known in advance (calendar, holidays, a weather forecast,
        a planned price), as said to this model or, for windows it cut, to
        the :class:`SeriesWindower`: the decoder reads their values at every future
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
        rounded up to whole epochs. ``"auto"``: 60 passes over the windows,
        at least 20 steps and at most 2000 in ``"steps"`` (the demo: 36
        epochs, as ``docs/loss.png`` shows), 1000 in ``"segments"``: small data
        trains in seconds (``benchmarks/results/REAL.md``); with validation
        windows training may stop sooner (``train_split``). On
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
        data (unless the start is kept: see ``train_split``). ``None``
        trains on every window and leaves
        :meth:`predict_interval` unavailable; so does a fit on too few
        windows to hold any out.
    train_split : "auto", float, callable or None, default="auto"
        The windows that validate. A float in (0, 1) keeps that fraction of
        each series' most recent windows (before the calibration windows and
        a gap of ``n_future - 1`` steps) for validation: ``valid_loss`` in
        ``history_``. Training then keeps the weights of the epoch that
        validated best, the start included (a ``"segments"`` model starts as
        its linear path's least squares, so it ends at least as good as that
        linear model on those windows), and stops after half the epochs (at
        least 5, or 250 steps if fewer) without a gain; a
        ``skorch.callbacks.EarlyStopping`` in ``callbacks`` replaces this
        rule. ``"auto"``: ``0.1``, or ``None`` when the windows are too few
        to hold any out; when it keeps a least-squares start, that start is
        fitted again on every window, the validation and calibration ones
        included, once the calibration errors are measured (as
        statsforecast's conformal intervals calibrate on held-out windows
        and then fit on all). ``None`` trains on all training windows for
        the whole budget; a callable is passed to skorch as is (e.g.
        ``skorch.dataset.ValidSplit``).
    device : str or torch.device, default="cpu"
        Where the module runs (``"cuda"`` for a GPU); see skorch. Checked
        before training: a device torch does not know, or CUDA on a machine
        without it, is a ``ValueError``.
    n_threads : int or None, default=None
        torch's intra-op CPU threads during ``fit``, ``partial_fit``,
        ``predict``, ``predict_interval`` and ``score``; the caller's count
        is restored after each call, also when it fails or when several
        threads call at once. ``None``: one thread. These GRUs are too small
        for more to pay, and when other work keeps a core busy torch's
        threads wait on each other: on 2 shared cores
        (``benchmarks/results/THREADS.md``) torch's default of one thread per
        core fitted 18 times (``"steps"``) and 4 times (``"segments"``)
        slower than one thread with another process busy on one core, and 11
        to 18 times slower at the machine's load of other jobs alone.
        ``None`` never exceeds ``OMP_NUM_THREADS`` when set, nor the
        caller's count: joblib's worker processes (``n_jobs``) set
        ``OMP_NUM_THREADS`` to ``cores // n_jobs`` and Dask's to 1, so the
        two compose. ``-1``: the caller's count (torch's default, one per
        core unless ``OMP_NUM_THREADS`` or ``torch.set_num_threads`` said
        otherwise). A positive count: exactly that many, even above those,
        for a large model (``hidden_dim``, ``batch_size``) on many idle
        cores, where more threads may pay (not measured here).
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
        ``None`` when fitted with ``calibration=None``, and empty (no row)
        when the fit had too few windows to hold any out.
    calibration_scales_ : ndarray of shape (n_calibration, n_targets) or None
        Each calibration window's scale: how much its targets moved per step
        over its past. ``None`` when the targets are not past features (the
        intervals are then in absolute units).
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
        "n_future": [None, Interval(Integral, 1, None, closed="left")],
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
        "train_split": [
            None,
            StrOptions({AUTO}),
            Interval(Real, 0, 1, closed="neither"),
            callable,
        ],
        "device": [str, torch.device],
        "n_threads": N_THREADS_CONSTRAINT,
        "warm_start": ["boolean"],
        "verbose": ["verbose"],
        "random_state": ["random_state"],
    }

    def __init__(
        self,
        hidden_dim: int | str = AUTO,
        num_layers: int | str = AUTO,
        n_future: int | None = None,
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
        train_split=AUTO,
        device: str = "cpu",
        n_threads: int | None = None,
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
        self.n_threads = n_threads
        self.warm_start = warm_start
        self.verbose = verbose
        self.random_state = random_state

    @with_intra_op_threads
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
        return self._fit(X, y, incremental=False)

    @with_intra_op_threads
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
        return self._fit(X, y, incremental=True)

    def _fit(self, X, y, *, incremental: bool) -> Seq2SeqRegressor:
        """Train on ``X`` (and ``y``): ``fit``, or one more epoch (``incremental``).

        Each step is named and does one job; all work on local values, and
        the fitted attributes are assigned only at the end, so that a failure
        leaves a fitted model as it was.
        """
        params = self.get_params(deep=False)
        check_net_params(params)
        roles = {role: params[role] for role in ROLES}
        data = training_data(X, y, "Seq2SeqRegressor", **roles)
        previous = self._continued_net(data.shapes, incremental)
        seed = self._torch_seed()
        recipes = (
            (self.recipe_,) if previous is not None else usable_recipes(params, data)
        )
        run = train_runs(
            recipes,
            params,
            data,
            previous=previous,
            scalers=(self.x_scaler_, self.y_scaler_) if previous else None,
            incremental=incremental,
            seed=seed,
            check=self._check_same_module,
        )
        residuals, scales = calibration_errors(
            run.net, data, run.split, run.x_scaler, run.y_scaler,
            asked=self.calibration is not None,
        )  # fmt: skip
        if previous is None:
            refit(run, params, data, seed=seed)
        if not self._keeps(run.net):
            return self
        self.recipe_, self.settings_ = run.recipe, run.settings
        self.net_, self.history_ = run.net, run.net.history
        self.x_scaler_, self.y_scaler_ = run.x_scaler, run.y_scaler
        self.calibration_residuals_, self.calibration_scales_ = residuals, scales
        self._set_fitted_shapes(data.shapes, data.feature_names)
        return self

    @with_intra_op_threads
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
        return self._as_y_ndim(self._checked_forecast(X)[0])

    @with_intra_op_threads
    def predict_interval(self, X, coverage: float = 0.9):
        """Forecast intervals that hold the true future with probability ``coverage``.

        Split conformal prediction: ``fit`` kept the last ``calibration``
        fraction of the windows out of training and recorded the model's
        errors on them (``calibration_residuals_``), each in units of its
        window's scale (``calibration_scales_``: the mean absolute step of
        the window's past targets). The interval of each horizon step and
        target is the forecast plus or minus the ``ceil((n + 1) *
        coverage)``-th smallest of those relative errors among the ``n``
        calibration windows, times the new window's own scale: a series of a
        panel gets an interval in its own units, whatever the level of the
        others. When new windows are exchangeable with the calibration
        windows (drawn like them), the interval holds the true value with
        probability at least ``coverage``, on average over windows.

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
        >>> curves = make_sine_cosine(300, 20, random_state=1)
        >>> model = Seq2SeqRegressor(max_epochs=2, random_state=0)
        >>> model = model.fit(curves[:, :15], curves[:, 15:])
        >>> lower, upper = model.predict_interval(curves[:5, :15], coverage=0.8)
        >>> lower.shape, bool((lower <= upper).all())
        ((5, 5, 1), True)
        """
        check_is_fitted(self)
        coverage = check_coverage(coverage)
        if self.calibration_residuals_ is None:
            raise ValueError(
                "predict_interval needs calibration windows, but this model was "
                "fitted with calibration=None, which trains on every window. "
                "Fit it again with calibration=0.1 (the default)."
            )
        if not len(self.calibration_residuals_):
            raise ValueError(
                "predict_interval needs calibration windows, but this model's fit "
                "held none out: each series had too few windows to keep "
                "floor(calibration * n_windows) >= 1 of them for calibration, "
                "with the n_future - 1 before them left out and one to train on. "
                "Fit it on more windows per series (or with a larger calibration)."
            )
        return self._bounds(*self._checked_forecast(X), coverage)

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

    def _continued_net(self, shapes: WindowShapes, incremental: bool):
        """The fitted net that training continues, checked, or ``None``."""
        if not hasattr(self, "net_") or not (incremental or self.warm_start):
            return None
        if shapes != self._shapes():
            # scikit-learn's words first when the number of steps differs
            steps = (
                f"X has {shapes.n_steps_in} features, but Seq2SeqRegressor is "
                f"expecting {self.n_features_in_} features as input. "
                if shapes.n_steps_in != self.n_features_in_
                else ""
            )
            raise ValueError(
                f"{steps}Training continues (warm_start=True or partial_fit) a "
                f"model fitted on windows of {self._shapes().describe()}, but got "
                f"{shapes.describe().split(' = ')[1]}. Pass windows of the same "
                "shapes, or call fit with warm_start=False to train a new model."
            )
        return self.net_

    def _check_same_module(self, net, previous) -> None:
        """Refuse to continue training a module whose parameters changed."""
        if previous is None:
            return
        changed = changed_module_params(net, previous)
        if self.scale != (self.x_scaler_ is not None):
            changed.append(f"scale: {not self.scale} -> {self.scale}")
        if changed:
            raise ValueError(
                "Training continues (warm_start=True or partial_fit) the fitted "
                f"module, but its parameters changed ({'; '.join(changed)}). "
                "Restore them, or call fit with warm_start=False to train a new "
                "model."
            )

    def _keeps(self, net) -> bool:
        """Whether to keep ``net`` after its training; warns if it was interrupted."""
        stop = interruption(net)
        if stop is None:
            return True
        interrupted, finished = stop
        if hasattr(self, "net_"):
            warn_interrupted(interrupted, "the model is as it was before this call")
            return False
        warn_interrupted(
            interrupted,
            f"the model keeps the weights of epoch {finished}, the last finished one"
            if finished
            else "the model keeps its initial, untrained weights",
        )
        return True

    def _checked_forecast(self, X) -> tuple[np.ndarray, np.ndarray]:
        """3-D forecasts of ``X``'s windows (never NaN or infinite), and their past."""
        if self.future_index_:
            past, known, _ = check_known_future(
                X, n_future=self.n_future_, future_features=self.future_index_
            )
            self._check_past(past, X)
        else:
            past, known = self._check_past(X), None
        inputs = net_inputs(past, known, self.x_scaler_, self.future_index_)
        values = forecast(self.net_, inputs, self.y_scaler_)
        if not np.isfinite(values).all():
            raise not_finite_error(self.net_, values)
        return values, past

    def _torch_seed(self) -> int:
        if self.random_state is None:
            # fresh entropy that leaves numpy's and torch's global generators alone
            return int(np.random.default_rng().integers(2**31 - 1))
        return int(check_random_state(self.random_state).randint(2**31 - 1))

    def __sklearn_tags__(self):
        tags = super().__sklearn_tags__()
        tags.input_tags.three_d_array = True
        tags.target_tags.required = False
        tags.target_tags.multi_output = True
        return tags
