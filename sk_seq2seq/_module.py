"""The torch module: encoder GRU -> final state -> decoder GRU -> linear head."""

from __future__ import annotations

import math
import operator
from numbers import Integral, Real

import torch
from torch import nn

_WINDOW_NORMS = ("last_value", "revin", "last_std", None)
_DECODERS = ("recurrent", "parallel")


def _check_int(name, value, low):
    """``value`` as a Python int of at least ``low``, or a ValueError naming it."""
    if isinstance(value, bool) or not isinstance(value, Integral):
        raise TypeError(
            f"{name} must be an integer >= {low}, got {value!r} of type "
            f"{type(value).__name__}."
        )
    if value < low:
        raise ValueError(f"{name} must be an integer >= {low}, got {value}.")
    return operator.index(value)


def _check_choice(name, value, choices):
    if value in choices:
        return value
    hint = ""
    if isinstance(value, str) and value.lower() in choices:
        hint = f" (did you mean {value.lower()!r}? Names are lower case)"
    raise ValueError(f"{name} must be one of {list(choices)}, got {value!r}{hint}.")


class Seq2SeqModule(nn.Module):
    """GRU encoder-decoder that forecasts ``n_future`` steps from a past window.

    The encoder reads the past and compresses it into its final hidden state
    (the context vector). The decoder starts from that state and a linear head
    turns its output into forecasts. With the defaults this is the tutorial's
    model: the encoder steps once per past step, and the decoder steps once
    per future step, reading the previous value of the targets (the last
    observed one first).

    Long windows are read in segments: with ``segment_length=w`` the encoder
    steps once per ``w`` past steps (each segment embedded by a linear layer
    and a ReLU) and the decoder emits ``w`` steps per step, as in SegRNN. The
    ``"parallel"`` decoder forecasts every output segment at once from the
    context and a learned embedding of the segment's position, so no forecast
    is fed back and errors cannot accumulate (SegRNN's "PMF").

    Parameters
    ----------
    n_features : int
        Features per past time step.
    n_targets : int
        Target values per future time step.
    n_future : int
        Steps forecast by a pass.
    hidden_dim : int, default=12
        Size of every GRU layer's state.
    num_layers : int, default=2
        Stacked GRU layers in the encoder and in the decoder.
    bidirectional : bool, default=False
        Read the past in both directions. Each layer's final forward and
        backward states are concatenated and mapped by a linear layer and
        ``tanh`` to the decoder's initial state of that layer.
    teacher_forcing : float, default=0.0
        Probability that, while training with a target, the recurrent decoder
        reads the true previous value (segment) instead of its own forecast.
        ``1.0`` runs the decoder as one GRU call over the shifted target. Must
        be 0 with ``decoder="parallel"``, which reads no previous value.
    target_index : list of int or None, default=None
        Which past features are the targets (one per target, in order); the
        recurrent decoder's first input is their last observed value (segment).
        ``None``: the targets are not past features, and the recurrent decoder
        starts from zeros. The other past features are covariates.
    window_norm : {"last_value", "revin", "last_std"} or None, default=None
        Make each window's targets relative to the window before the encoder
        reads them, and undo it on the forecast; covariates keep their level,
        which is information (a temperature of 30 degrees is not one of 10).
        ``"last_value"`` subtracts each target's last observed value, so the
        model forecasts changes from it; ``"revin"`` is reversible instance
        normalisation (subtract each target's mean over the past window,
        divide by its standard deviation); ``"last_std"`` subtracts the last
        value and divides by the window's standard deviation, floored at a
        thousandth of the window's mean absolute value (a window of zeros
        keeps a spread of 1), so that multiplying a series by a constant
        multiplies its forecast by it (``"revin"`` adds 1e-5 to the
        variance). This lets a model forecast levels it never saw in
        training, e.g. on a trend. No effect when ``target_index`` is None.
    segment_length : int, default=1
        Steps per encoder step and per decoder step. A past whose length is
        not a multiple is padded at its start with its first value; a horizon
        that is not a multiple is forecast in whole segments and cropped.
    decoder : {"recurrent", "parallel"}, default="recurrent"
        ``"recurrent"``: autoregressive, each step reads the previous value
        (segment), its own forecast unless teacher forcing says otherwise.
        ``"parallel"``: each output segment is decoded independently from the
        context and a learned position embedding.
    attention : bool, default=False
        Let each decoder step attend over the encoder's outputs (one per
        encoder step; Luong's "general" score): the head reads the decoder's
        output combined with the attention-weighted encoder outputs.
    channel_independent : bool, default=False
        Forecast each target as its own univariate series with shared
        weights: the batch is widened to ``batch * n_targets``, each series
        reading its own target's past beside every covariate's past, and a
        learned embedding per target (the encoder's initial state) lets the
        shared weights tell them apart. Needs ``target_index``.
    n_future_features : int, default=0
        Known future covariates per future step: :meth:`forward` then needs
        ``future_covariates`` and the decoder reads each future step's (or
        segment's) values.
    window_stats_input : bool, default=False
        Give the encoder, beside the window-normalised targets, what the
        normalisation removed: each target's location and log-spread over
        the window (on the scale of the input), repeated at every step, so
        that the model can still use the level. Needs ``window_norm``.
    linear_path : bool, default=False
        Add beside the recurrent part a linear map from each target's
        ``n_past`` last values to its future (NLinear's branch): its weights
        read the window-normalised past, and it has no intercept (the
        forecast stays shift- and scale-equivariant). The map and the
        head start at zero; :meth:`fit_linear_path` sets the map to its
        least squares, so that training starts where a linear model ends.
        Needs ``target_index`` and ``n_past``.
    n_past : int or None, default=None
        Past steps the linear path reads (the most recent ones).

    Attributes
    ----------
    n_segments_out : int
        Decoder steps (output segments): ``ceil(n_future / segment_length)``.

    Examples
    --------
    >>> import torch
    >>> from sk_seq2seq import Seq2SeqModule
    >>> module = Seq2SeqModule(n_features=1, n_targets=1, n_future=15)
    >>> module(torch.zeros(4, 15, 1)).shape
    torch.Size([4, 15, 1])

    A long window in segments of 24 steps, decoded in parallel, every target
    channel as its own series, with two known future covariates:

    >>> module = Seq2SeqModule(
    ...     n_features=3, n_targets=2, n_future=30, target_index=[0, 1],
    ...     window_norm="last_value", segment_length=24, decoder="parallel",
    ...     channel_independent=True, n_future_features=2)
    >>> module(torch.zeros(4, 96, 3), future_covariates=torch.zeros(4, 30, 2)).shape
    torch.Size([4, 30, 2])
    """

    def __init__(
        self,
        n_features: int,
        n_targets: int,
        n_future: int,
        hidden_dim: int = 12,
        num_layers: int = 2,
        bidirectional: bool = False,
        teacher_forcing: float = 0.0,
        target_index: list[int] | None = None,
        window_norm: str | None = None,
        segment_length: int = 1,
        decoder: str = "recurrent",
        attention: bool = False,
        channel_independent: bool = False,
        n_future_features: int = 0,
        window_stats_input: bool = False,
        linear_path: bool = False,
        n_past: int | None = None,
    ):
        super().__init__()
        n_features = _check_int("n_features", n_features, 1)
        n_targets = _check_int("n_targets", n_targets, 1)
        self.n_future = _check_int("n_future", n_future, 1)
        hidden_dim = _check_int("hidden_dim", hidden_dim, 1)
        num_layers = _check_int("num_layers", num_layers, 1)
        self.segment_length = _check_int("segment_length", segment_length, 1)
        self.n_future_features = _check_int("n_future_features", n_future_features, 0)
        self.window_norm = _check_choice("window_norm", window_norm, _WINDOW_NORMS)
        self.decoder_kind = _check_choice("decoder", decoder, _DECODERS)
        if isinstance(teacher_forcing, bool) or not isinstance(teacher_forcing, Real):
            raise TypeError(
                f"teacher_forcing must be a number in [0, 1], got {teacher_forcing!r}."
            )
        if not 0.0 <= teacher_forcing <= 1.0:
            raise ValueError(
                f"teacher_forcing must be in [0, 1], got {teacher_forcing}."
            )
        if teacher_forcing and decoder == "parallel":
            raise ValueError(
                f"teacher_forcing={teacher_forcing} needs decoder='recurrent': the "
                "parallel decoder reads no previous value. Set teacher_forcing=0."
            )
        self.teacher_forcing = float(teacher_forcing)
        self.target_index = self._check_target_index(
            target_index, n_features, n_targets
        )
        if channel_independent and self.target_index is None:
            raise ValueError(
                "channel_independent=True needs target_index: each target is "
                "forecast from its own past, so the targets must be past features."
            )
        if window_stats_input and (self.window_norm is None or target_index is None):
            raise ValueError(
                "window_stats_input=True feeds the statistics that window_norm "
                "removes: set window_norm ('revin' or 'last_value') and target_index."
            )
        self.window_stats_input = bool(window_stats_input)
        if linear_path and (n_past is None or target_index is None):
            raise ValueError(
                "linear_path=True maps each target's past to its future: pass "
                "n_past (the window's past steps) and target_index."
            )
        self.n_past = None if n_past is None else _check_int("n_past", n_past, 1)
        self.n_features = n_features
        self.n_targets = n_targets
        self.attention = bool(attention)
        self.channel_independent = bool(channel_independent)
        self.n_segments_out = math.ceil(self.n_future / self.segment_length)

        # One series as the encoder and decoder see it: every target, or one
        # target beside the covariates when channels are independent.
        series_targets = 1 if self.channel_independent else n_targets
        series_features = (
            n_features - n_targets + 1 if self.channel_independent else n_features
        ) + (2 * series_targets if self.window_stats_input else 0)
        w = self.segment_length
        segmented = w > 1
        decoder_in = (series_targets + self.n_future_features) * w

        self.encoder = nn.GRU(
            hidden_dim if segmented else series_features,
            hidden_dim,
            num_layers,
            batch_first=True,
            bidirectional=bidirectional,
        )
        self.bridge = nn.Linear(2 * hidden_dim, hidden_dim) if bidirectional else None
        if self.decoder_kind == "parallel":
            decoder_in = hidden_dim + self.n_future_features * w
        elif segmented:
            decoder_in = hidden_dim
        self.decoder = nn.GRU(decoder_in, hidden_dim, num_layers, batch_first=True)
        self.head = nn.Linear(hidden_dim, series_targets * w)
        # Created after the tutorial's layers so that, seeded, its defaults
        # draw the same initial weights as before these options existed.
        self.encoder_embedding = (
            nn.Sequential(nn.Linear(series_features * w, hidden_dim), nn.ReLU())
            if segmented
            else None
        )
        self.decoder_embedding = (
            nn.Sequential(
                nn.Linear((series_targets + self.n_future_features) * w, hidden_dim),
                nn.ReLU(),
            )
            if segmented and self.decoder_kind == "recurrent"
            else None
        )
        self.position_embedding = (
            nn.Parameter(torch.randn(self.n_segments_out, hidden_dim) * 0.1)
            if self.decoder_kind == "parallel"
            else None
        )
        self.channel_embedding = (
            nn.Parameter(torch.zeros(num_layers, n_targets, hidden_dim))
            if self.channel_independent
            else None
        )
        encoder_out = hidden_dim * (2 if bidirectional else 1)
        self.attention_score = (
            nn.Linear(encoder_out, hidden_dim, bias=False) if attention else None
        )
        self.attention_combine = (
            nn.Linear(hidden_dim + encoder_out, hidden_dim) if attention else None
        )
        # starts as the normalisation's anchor (zero): the last value or mean
        # no intercept: a constant in any window's units would either break
        # the forecast's scale equivariance (in the targets' units) or carry
        # the training period's mean drift into every window (in the
        # spread's); the window's own past says where it is heading
        self.linear = (
            nn.Linear(self.n_past, self.n_future, bias=False) if linear_path else None
        )
        if self.linear is not None:
            nn.init.zeros_(self.linear.weight)
            # the recurrent part starts silent: the model starts as the linear
            # map, and the GRU learns what it leaves
            nn.init.zeros_(self.head.weight)
            nn.init.zeros_(self.head.bias)

    @staticmethod
    def _check_target_index(target_index, n_features, n_targets):
        if target_index is None:
            return None
        index = list(target_index)
        if (
            len(index) != n_targets
            or not all(
                isinstance(i, Integral) and not isinstance(i, bool) for i in index
            )
            or not all(0 <= i < n_features for i in index)
            or len(set(index)) != len(index)
        ):
            raise ValueError(
                f"target_index must list {n_targets} distinct feature indices in "
                f"[0, {n_features}) (one per target), got {target_index!r}."
            )
        return [int(i) for i in index]

    def encode(self, past: torch.Tensor) -> torch.Tensor:
        """Context vector ``(num_layers, batch, hidden_dim)`` of a past.

        Parameters
        ----------
        past : torch.Tensor of shape (batch, n_past, n_series_features)
            The past of each series as the encoder reads it (already
            normalised; one target beside the covariates when channels are
            independent).

        Returns
        -------
        state : torch.Tensor of shape (num_layers, batch, hidden_dim)
            The decoder's initial state.
        """
        return self._encode(past, None)[1]

    def _encode(self, past, initial):
        """Encoder outputs ``(batch, n_steps, hidden * directions)`` and state."""
        if self.encoder_embedding is not None:
            past = self.encoder_embedding(self._segments(past))
        outputs, state = self.encoder(past, initial)
        if self.bridge is None:
            return outputs, state
        num_layers = self.encoder.num_layers
        # (num_layers * 2, batch, hidden): the two directions of each layer
        both = state.view(num_layers, 2, *state.shape[1:])
        return outputs, torch.tanh(
            self.bridge(torch.cat([both[:, 0], both[:, 1]], dim=-1))
        )

    def _segments(self, past):
        """``(batch, n_past, f) -> (batch, ceil(n_past / w), w * f)``, padded first."""
        w = self.segment_length
        pad = -past.shape[1] % w
        if pad:
            past = torch.cat([past[:, :1].expand(-1, pad, -1), past], dim=1)
        return past.reshape(past.shape[0], past.shape[1] // w, w * past.shape[2])

    def forward(
        self,
        past: torch.Tensor,
        future_covariates: torch.Tensor | None = None,
        target: torch.Tensor | None = None,
    ) -> torch.Tensor:
        """Forecast the future of each window.

        Parameters
        ----------
        past : torch.Tensor of shape (batch, n_past, n_features)
            Every feature's past; ``n_past`` is free.
        future_covariates : torch.Tensor of shape \
                (batch, n_future, n_future_features) or None, default=None
            The known future covariates; required exactly when
            ``n_future_features > 0``.
        target : torch.Tensor of shape (batch, n_future, n_targets) or None, \
                default=None
            The true future, read only while training and only as teacher
            forcing allows; without it the pass is free-running.

        Returns
        -------
        forecast : torch.Tensor of shape (batch, n_future, n_targets)
        """
        self._check_forward_shapes(past, future_covariates, target)
        if self.channel_independent:
            past, future_covariates, target = self._split_channels(
                past, future_covariates, target
            )
            target_index = [0]
        else:
            target_index = self.target_index
        stats = None
        if self.window_norm is not None and target_index is not None:
            index = torch.tensor(target_index, device=past.device)
            stats = self._window_stats(past.index_select(2, index))
            past = past.index_copy(
                2, index, (past.index_select(2, index) - stats[0]) / stats[1]
            )
            if target is not None:
                target = (target - stats[0]) / stats[1]
            if self.window_stats_input:
                level = torch.cat([stats[0], torch.log(stats[1])], dim=2)
                past = torch.cat([past, level.expand(-1, past.shape[1], -1)], dim=2)
        initial = None
        if self.channel_embedding is not None:
            batch = past.shape[0] // self.n_targets
            initial = self.channel_embedding.repeat(1, batch, 1)
            if self.bridge is not None:
                initial = initial.repeat_interleave(2, dim=0)
        outputs, state = self._encode(past, initial)
        if self.attention_score is not None:
            keys = self.attention_score(outputs)
        else:
            outputs = keys = None
        if self.decoder_kind == "parallel":
            forecast = self._decode_parallel(state, future_covariates, outputs, keys)
        else:
            if target_index is None:
                previous = past.new_zeros(past.shape[0], 1, self.head.out_features)
            else:
                w = self.segment_length
                last = past[:, -w:, target_index]
                if last.shape[1] < w:  # a past shorter than one segment
                    pad = w - last.shape[1]
                    last = torch.cat([last[:, :1].expand(-1, pad, -1), last], dim=1)
                previous = last.reshape(past.shape[0], 1, -1)
            forecast = self._decode_recurrent(
                state, previous, future_covariates, target, outputs, keys
            )
        forecast = forecast[:, : self.n_future]
        if self.linear is not None:
            targets = past[:, -self.n_past :, target_index]
            forecast = forecast + self.linear(targets.transpose(1, 2)).transpose(1, 2)
        if stats is not None:
            forecast = forecast * stats[1] + stats[0]
        if self.channel_independent:
            forecast = forecast.reshape(-1, self.n_targets, self.n_future)
            forecast = forecast.transpose(1, 2)
        return forecast

    @torch.no_grad()
    def fit_linear_path(
        self, past: torch.Tensor, target: torch.Tensor, alpha: float = 1e-3
    ) -> None:
        """Set the linear path to the least squares of the training loss.

        The ridge regression, without intercept, of each target's future on
        its past, both relative to the window's anchor (the last value for
        ``"last_std"``), ``alpha`` times the identity added to the normal
        equations as in scikit-learn's ``Ridge``; computed in float64. The
        forecast is the anchor plus the spread times the normalised output,
        so the path acts on the past's offsets from the anchor in the
        targets' units, as the loss does: this is NLinear's least squares
        (without its intercept), and the model starts where it ends.
        :meth:`linear_path_moments` and :meth:`solve_linear_path` do the
        same over windows given in parts.

        Parameters
        ----------
        past : torch.Tensor of shape (batch, n_past, n_features)
        target : torch.Tensor of shape (batch, n_future, n_targets)
        alpha : float, default=1e-3
        """
        self.solve_linear_path(*self.linear_path_moments(past, target), alpha)

    @torch.no_grad()
    def linear_path_moments(
        self, past: torch.Tensor, target: torch.Tensor
    ) -> tuple[torch.Tensor, torch.Tensor]:
        """The normal equations' sums ``x'x`` and ``x'y`` of these windows.

        Parameters
        ----------
        past : torch.Tensor of shape (batch, n_past, n_features)
        target : torch.Tensor of shape (batch, n_future, n_targets)

        Returns
        -------
        gram : torch.Tensor of shape (n_past, n_past), float64
        cross : torch.Tensor of shape (n_past, n_future), float64
        """
        if self.linear is None:
            raise ValueError("fit_linear_path needs a module with linear_path=True.")
        target_index = self.target_index
        if self.channel_independent:
            past, _, target = self._split_channels(past, None, target)
            target_index = [0]
        targets = past[:, -self.n_past :, target_index]
        location = 0.0 if self.window_norm is None else self._window_stats(targets)[0]
        x = (targets - location).transpose(1, 2).double().reshape(-1, self.n_past)
        y = (target - location).transpose(1, 2).double().reshape(-1, self.n_future)
        return x.T @ x, x.T @ y

    @torch.no_grad()
    def solve_linear_path(
        self, gram: torch.Tensor, cross: torch.Tensor, alpha: float = 1e-3
    ) -> None:
        """Set the linear path from summed normal equations (see above)."""
        eye = torch.eye(self.n_past, dtype=gram.dtype, device=gram.device)
        self.linear.weight.copy_(torch.linalg.solve(gram + alpha * eye, cross).T)

    def _check_forward_shapes(self, past, future_covariates, target):
        if past.ndim != 3 or past.shape[2] != self.n_features:
            raise ValueError(
                f"past must have shape (batch, n_past, {self.n_features}), got "
                f"{tuple(past.shape)}."
            )
        batch = past.shape[0]
        if self.n_future_features:
            expected = (batch, self.n_future, self.n_future_features)
            if future_covariates is None or tuple(future_covariates.shape) != expected:
                got = (
                    None
                    if future_covariates is None
                    else tuple(future_covariates.shape)
                )
                raise ValueError(
                    f"future_covariates must have shape {expected} "
                    f"(n_future_features={self.n_future_features}), got {got}."
                )
        elif future_covariates is not None:
            raise ValueError(
                "future_covariates were passed but n_future_features=0; build the "
                "module with n_future_features set to their number."
            )
        expected = (batch, self.n_future, self.n_targets)
        if target is not None and tuple(target.shape) != expected:
            raise ValueError(
                f"target must have shape {expected} (batch, n_future, n_targets), "
                f"got {tuple(target.shape)}."
            )

    def _split_channels(self, past, future_covariates, target):
        """Widen the batch to ``batch * n_targets`` univariate series."""
        batch, n_past, _ = past.shape
        targets = past[:, :, self.target_index].transpose(1, 2)
        targets = targets.reshape(batch * self.n_targets, n_past, 1)
        covariates = [i for i in range(self.n_features) if i not in self.target_index]
        if covariates:
            shared = past[:, :, covariates].repeat_interleave(self.n_targets, dim=0)
            targets = torch.cat([targets, shared], dim=2)
        if future_covariates is not None:
            future_covariates = future_covariates.repeat_interleave(
                self.n_targets, dim=0
            )
        if target is not None:
            target = target.transpose(1, 2).reshape(-1, self.n_future, 1)
        return targets, future_covariates, target

    def _window_stats(self, targets):
        """Per-window location and spread ``(batch, 1, n_targets)``."""
        if self.window_norm == "last_value":
            return targets[:, -1:], torch.ones_like(targets[:, -1:])
        var, mean = torch.var_mean(targets, dim=1, keepdim=True, correction=0)
        if self.window_norm == "revin":
            return mean, torch.sqrt(var + 1e-5)
        # relative floor: scaling a series scales its spread, and a window of
        # zeros keeps the units it has
        spread = torch.maximum(
            torch.sqrt(var), 1e-3 * targets.abs().mean(dim=1, keepdim=True)
        )
        spread = torch.where(spread > 0, spread, torch.ones_like(spread))
        return targets[:, -1:], spread

    def _future_segments(self, future_covariates):
        """``(batch, n_future, k) -> (batch, n_segments_out, w * k)``, end padded."""
        w = self.segment_length
        pad = self.n_segments_out * w - self.n_future
        if pad:
            future_covariates = torch.cat(
                [future_covariates, future_covariates[:, -1:].expand(-1, pad, -1)],
                dim=1,
            )
        return future_covariates.reshape(
            future_covariates.shape[0], -1, w * future_covariates.shape[2]
        )

    def _attend(self, output, outputs, keys):
        """Combine decoder outputs ``(batch, t, hidden)`` with attention context."""
        weights = torch.softmax(output @ keys.transpose(1, 2), dim=-1)
        context = weights @ outputs
        return torch.tanh(self.attention_combine(torch.cat([output, context], dim=-1)))

    def _read(self, output, outputs, keys):
        """Decoder outputs ``(batch, t, hidden) -> (batch, t * w, series_targets)``."""
        if keys is not None:
            output = self._attend(output, outputs, keys)
        values = self.head(output)
        return values.reshape(
            values.shape[0], -1, values.shape[2] // self.segment_length
        )

    def _decode_parallel(self, state, future_covariates, outputs, keys):
        batch = state.shape[1]
        segments = self.n_segments_out
        inputs = self.position_embedding.expand(batch, -1, -1)
        if future_covariates is not None:
            inputs = torch.cat(
                [inputs, self._future_segments(future_covariates)], dim=2
            )
        # every segment is one decoder step from the same context
        inputs = inputs.reshape(batch * segments, 1, inputs.shape[2])
        state = state.repeat_interleave(segments, dim=1)
        output, _ = self.decoder(inputs, state)
        output = output.reshape(batch, segments, -1)
        return self._read(output, outputs, keys)

    def _decode_recurrent(
        self, state, previous, future_covariates, target, outputs, keys
    ):
        forcing = self.teacher_forcing if self.training and target is not None else 0.0
        known = (
            None
            if future_covariates is None
            else self._future_segments(future_covariates)
        )
        w = self.segment_length
        if target is not None and forcing > 0.0:
            target = target[:, : (self.n_segments_out - 1) * w]
            target = target.reshape(target.shape[0], -1, previous.shape[2])
        if forcing >= 1.0:
            # the whole shifted target is known: one fused GRU call
            inputs = torch.cat([previous, target], dim=1)
            output, _ = self.decoder(self._decoder_input(inputs, known), state)
            return self._read(output, outputs, keys)
        steps = []
        for step in range(self.n_segments_out):
            inputs = self._decoder_input(
                previous, None if known is None else known[:, step : step + 1]
            )
            output, state = self.decoder(inputs, state)
            forecast = self._read(output, outputs, keys)
            steps.append(forecast)
            previous = forecast.reshape(forecast.shape[0], 1, -1)
            if forcing > 0.0 and step < self.n_segments_out - 1:
                use_true = torch.rand(previous.shape[0], 1, 1, device=previous.device)
                previous = torch.where(
                    use_true < forcing, target[:, step : step + 1], previous
                )
        return torch.cat(steps, dim=1)

    def _decoder_input(self, previous, known):
        """The decoder's input from previous values and known future covariates."""
        if known is not None:
            previous = torch.cat([previous, known], dim=2)
        if self.decoder_embedding is not None:
            previous = self.decoder_embedding(previous)
        return previous

    def weight_penalty(self) -> torch.Tensor:
        """``sum(w ** 2) / 2`` over the weight matrices that map one layer's input.

        The encoder's and decoder's GRU weights, the bidirectional bridge, the
        segment embeddings and the attention layers; biases, the output head
        and the position and channel embeddings are left out, as the tutorial
        leaves out the head.

        Returns
        -------
        penalty : torch.Tensor of shape ()
        """
        layers = [
            layer
            for layer in (
                self.encoder,
                self.decoder,
                self.bridge,
                self.encoder_embedding,
                self.decoder_embedding,
                self.attention_score,
                self.attention_combine,
            )
            if layer is not None
        ]
        return sum(
            (param**2).sum() / 2
            for layer in layers
            for name, param in layer.named_parameters()
            if "weight" in name
        )
