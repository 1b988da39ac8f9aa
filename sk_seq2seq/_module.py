"""The torch module: encoder GRU -> final state -> decoder GRU -> linear head."""

from __future__ import annotations

import torch
from torch import nn


class Seq2SeqModule(nn.Module):
    """GRU encoder-decoder that forecasts ``n_future`` steps from a past window.

    The encoder reads the past and compresses it into its final hidden state
    (the context vector). The decoder starts from that state; at every step it
    reads the previous value of the targets (the last observed one first) and
    a linear head turns its output into the next value.

    Parameters
    ----------
    n_features : int
        Features per past time step.
    n_targets : int
        Target values per future time step.
    n_future : int
        Steps forecast by a free-running pass.
    hidden_dim : int, default=12
        Size of every GRU layer's state.
    num_layers : int, default=2
        Stacked GRU layers in the encoder and in the decoder.
    bidirectional : bool, default=False
        Read the past in both directions. Each layer's final forward and
        backward states are concatenated and mapped by a linear layer and
        ``tanh`` to the decoder's initial state of that layer.
    teacher_forcing : float, default=0.0
        Probability that, while training with a target, the decoder reads the
        true previous value instead of its own prediction. ``1.0`` runs the
        decoder as one GRU call over the shifted target.
    target_index : list of int or None, default=None
        Which past features are the targets; the decoder's first input is
        their last observed value. ``None``: the decoder starts from zeros.
    window_norm : {"last_value", "revin"} or None, default=None
        Make each window relative to itself before the encoder reads it, and
        undo it on the forecast. ``"last_value"`` subtracts every feature's
        last observed value, so the decoder forecasts changes from it;
        ``"revin"`` is reversible instance normalisation (subtract each
        feature's mean over the past window, divide by its standard
        deviation). Forecasts of targets that are past features are shifted
        (and scaled) back with those features' statistics. This lets a model
        forecast levels it never saw in training, e.g. on a trend.

    Examples
    --------
    >>> import torch
    >>> from sk_seq2seq import Seq2SeqModule
    >>> module = Seq2SeqModule(n_features=1, n_targets=1, n_future=15)
    >>> module(torch.zeros(4, 15, 1)).shape
    torch.Size([4, 15, 1])
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
    ):
        super().__init__()
        self.n_targets = n_targets
        self.n_future = n_future
        self.teacher_forcing = teacher_forcing
        self.target_index = None if target_index is None else list(target_index)
        self.window_norm = window_norm
        self.encoder = nn.GRU(
            n_features,
            hidden_dim,
            num_layers,
            batch_first=True,
            bidirectional=bidirectional,
        )
        self.bridge = nn.Linear(2 * hidden_dim, hidden_dim) if bidirectional else None
        self.decoder = nn.GRU(n_targets, hidden_dim, num_layers, batch_first=True)
        self.head = nn.Linear(hidden_dim, n_targets)

    def encode(self, past: torch.Tensor) -> torch.Tensor:
        """Context vector: ``(batch, n_past, f) -> (num_layers, batch, hidden)``."""
        _, state = self.encoder(past)
        if self.bridge is None:
            return state
        num_layers = self.encoder.num_layers
        # (num_layers * 2, batch, hidden): the two directions of each layer
        both = state.view(num_layers, 2, *state.shape[1:])
        return torch.tanh(self.bridge(torch.cat([both[:, 0], both[:, 1]], dim=-1)))

    def forward(
        self, past: torch.Tensor, target: torch.Tensor | None = None
    ) -> torch.Tensor:
        """Forecast ``(batch, n_future, n_targets)`` from ``past (batch, n_past, f)``.

        ``target (batch, n_future, n_targets)`` is read only while training, and
        only as teacher forcing allows; without it the pass is free-running.
        """
        stats = self._window_stats(past)
        if stats is not None:
            past = (past - stats[0]) / stats[1]
        if self.target_index is None:
            previous = past.new_zeros(past.shape[0], 1, self.n_targets)
            # targets unrelated to the past features stay as they are
            stats = None
        else:
            previous = past[:, -1:, self.target_index]
        if stats is not None:
            loc, spread = (stat[:, :, self.target_index] for stat in stats)
            if target is not None:
                target = (target - loc) / spread
        forecast = self._decode(self.encode(past), previous, target)
        return forecast if stats is None else forecast * spread + loc

    def _window_stats(self, past):
        """Per-window location and spread ``(batch, 1, n_features)``, or None."""
        if self.window_norm == "last_value":
            return past[:, -1:], torch.ones_like(past[:, -1:])
        if self.window_norm == "revin":
            var, mean = torch.var_mean(past, dim=1, keepdim=True, correction=0)
            return mean, torch.sqrt(var + 1e-5)
        return None

    def _decode(self, state, previous, target):
        forcing = self.teacher_forcing if self.training and target is not None else 0.0
        if forcing >= 1.0:
            # the whole shifted target is known: one fused GRU call
            inputs = torch.cat([previous, target[:, :-1]], dim=1)
            output, _ = self.decoder(inputs, state)
            return self.head(output)
        steps = []
        for step in range(self.n_future):
            output, state = self.decoder(previous, state)
            previous = self.head(output)
            steps.append(previous)
            if forcing > 0.0:
                use_true = torch.rand(previous.shape[0], 1, 1, device=previous.device)
                previous = torch.where(
                    use_true < forcing, target[:, step : step + 1], previous
                )
        return torch.cat(steps, dim=1)

    def weight_penalty(self) -> torch.Tensor:
        """``sum(w ** 2) / 2`` over the encoder's and decoder's weight matrices.

        Biases and the output head are left out, as in the tutorial.
        """
        recurrent = [self.encoder, self.decoder] + (
            [self.bridge] if self.bridge is not None else []
        )
        return sum(
            (param**2).sum() / 2
            for layer in recurrent
            for name, param in layer.named_parameters()
            if "weight" in name
        )
