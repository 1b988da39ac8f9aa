"""``python -m sk_seq2seq``: train the default model on the tutorial's curves.

Trains :class:`Seq2SeqRegressor` on ``make_sine_cosine`` windows (15 past ->
15 future steps) with a validation split, prints skorch's table of losses per
epoch, compares the free-running forecasts of fresh curves with ``Ridge`` and
naive forecasts (last value, window mean), and writes the tutorial's figures.
"""

from __future__ import annotations

import argparse
import contextlib
import re
import sys
from pathlib import Path

import numpy as np
from matplotlib.figure import Figure
from sklearn.linear_model import Ridge
from sklearn.metrics import mean_squared_error

from . import (
    NaiveForecaster,
    Seq2SeqRegressor,
    make_sine_cosine,
    plot_loss_curves,
    plot_predictions,
)

N_PAST = N_FUTURE = 15
VALIDATION_FRACTION = 0.2
# (training curves, held-out curves, epochs) by default and with --quick.
# The generator is unlimited, so the demo trains on enough curves that the
# default budget (max_steps) never sees one often enough to learn it by
# heart: on 2,000 it ran 280 epochs and the validation loss stalled halfway
# while the training loss kept falling.
FULL = (20000, 1000, None)
QUICK = (200, 100, 2)


# skorch's table of losses colours the best values with ANSI escape codes
ANSI_CODE = re.compile(r"\x1b\[[0-9;]*m")


class _PlainText:
    """A text stream that drops colour codes: a log file gets plain text."""

    def __init__(self, stream):
        self._stream = stream

    def write(self, text: str) -> int:
        return self._stream.write(ANSI_CODE.sub("", text))

    def __getattr__(self, name):
        return getattr(self._stream, name)


def _positive_int(text: str) -> int:
    try:
        value = int(text)
    except ValueError:
        value = 0
    if value < 1:
        raise argparse.ArgumentTypeError(f"expected a positive integer, got {text!r}")
    return value


def _parser() -> argparse.ArgumentParser:
    # the console script keeps its own name; python -m would show __main__.py
    command = Path(sys.argv[0]).stem
    parser = argparse.ArgumentParser(
        prog=command if command == "sk-seq2seq" else "python -m sk_seq2seq",
        description="Train a GRU seq2seq on sine+cosine curves (15 past -> 15 "
        "future steps), compare its free-running forecasts of fresh curves with "
        "Ridge and naive forecasts, and write loss.png and predictions.png.",
    )
    parser.add_argument(
        "--out",
        type=Path,
        default=Path("."),
        help="folder for loss.png and predictions.png (default: the current one)",
    )
    parser.add_argument(
        "--epochs",
        type=_positive_int,
        default=None,
        help="passes over the training curves (default: the model's budget of "
        f"optimizer steps; {QUICK[2]} with --quick)",
    )
    parser.add_argument(
        "--hidden-dim",
        type=_positive_int,
        default=None,
        help="GRU state size (default: the model's own choice, 32 here)",
    )
    parser.add_argument(
        "--n-samples",
        type=_positive_int,
        default=None,
        # argparse %-formats help strings, so "%%" prints one percent sign
        help=f"training curves, {VALIDATION_FRACTION * 100:.0f}%% of them kept "
        f"for validation (default: {FULL[0]}; {QUICK[0]} with --quick)",
    )
    parser.add_argument(
        "--random-state", type=int, default=0, help="seed of data and model"
    )
    parser.add_argument(
        "--quick",
        action="store_true",
        help="a few seconds' run on little data, to check the installation",
    )
    return parser


def main(argv: list[str] | None = None) -> int:
    """Run the demo; ``argv`` defaults to the command line. Returns 0.

    The output is plain text (no colour codes) unless it goes to a terminal.
    """
    parser = _parser()
    args = parser.parse_args(argv)
    terminal = getattr(sys.stdout, "isatty", lambda: False)()
    output = sys.stdout if terminal else _PlainText(sys.stdout)
    with contextlib.redirect_stdout(output):
        return _run(parser, args)


def _run(parser: argparse.ArgumentParser, args: argparse.Namespace) -> int:
    if args.out.exists() and not args.out.is_dir():
        parser.error(f"--out {str(args.out)!r} is a file; pass a folder")
    n_samples, n_test, epochs = QUICK if args.quick else FULL
    n_samples = args.n_samples or n_samples
    epochs = args.epochs or epochs

    length = N_PAST + N_FUTURE
    train = make_sine_cosine(n_samples, length, random_state=args.random_state)
    test = make_sine_cosine(n_test, length, random_state=args.random_state + 1)
    X, y = train[:, :N_PAST], train[:, N_PAST:]
    X_test, y_test = test[:, :N_PAST], test[:, N_PAST:]

    # the tutorial's step-by-step model; recipe="auto" would also train the
    # "segments" recipe and keep "steps" on these curves (benchmarks/real.py,
    # row "tutorial"), at half again the time
    print(
        f"Training Seq2SeqRegressor(recipe='steps', hidden_dim="
        f"{args.hidden_dim or 'auto'}) on {n_samples} curves, "
        f"{VALIDATION_FRACTION:.0%} kept for validation:"
    )
    model = Seq2SeqRegressor(
        recipe="steps",
        hidden_dim=args.hidden_dim or "auto",
        max_epochs=epochs,
        train_split=VALIDATION_FRACTION,
        verbose=1,
        random_state=args.random_state,
    ).fit(X, y)
    y_pred = model.predict(X_test)
    ridge = Ridge().fit(X[:, :, 0], y[:, :, 0])
    baselines = {
        "Ridge": ridge.predict(X_test[:, :, 0])[:, :, np.newaxis],
        "last value": NaiveForecaster("last").fit(X, y).predict(X_test),
        "window mean": NaiveForecaster("mean").fit(X, y).predict(X_test),
    }

    def mse(forecast):
        return mean_squared_error(y_test.ravel(), forecast.ravel())

    print(f"\nHeld-out MSE per step (free-running, {n_test} fresh curves):")
    print(f"  {'Seq2SeqRegressor':<18}{mse(y_pred):.4f}")
    for name, forecast in baselines.items():
        print(f"  {name:<18}{mse(forecast):.4f}")

    args.out.mkdir(parents=True, exist_ok=True)
    loss_figure = Figure(figsize=(7, 4), layout="constrained")
    plot_loss_curves(model, ax=loss_figure.subplots())
    n_examples = min(5, n_test)
    predictions_figure = Figure(
        figsize=(8, 1.9 * n_examples + 0.6), layout="constrained"
    )
    plot_predictions(
        X_test,
        y_test,
        y_pred,
        n_examples=n_examples,
        axes=predictions_figure.subplots(n_examples, 1, sharex=True, squeeze=False),
    )
    print()
    for name, figure in (("loss", loss_figure), ("predictions", predictions_figure)):
        path = args.out / f"{name}.png"
        figure.savefig(path, dpi=100)
        print(f"Wrote {path}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
