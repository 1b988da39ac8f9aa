"""The tutorial's curves: sums of a sine and a cosine with random parameters."""

from __future__ import annotations

import numbers

import numpy as np
from sklearn.utils import check_random_state


def make_sine_cosine(
    n_samples: int = 100,
    n_timesteps: int = 30,
    *,
    noise: float = 0.0,
    random_state: int | np.random.RandomState | None = None,
) -> np.ndarray:
    """Generate curves that are the sum of a sine and a cosine.

    Each curve is ``a1 * sin(linspace(p1, L * f1 * 3 * pi + p1, n_timesteps))
    + a2 * cos(linspace(p2, L * f2 * 3 * pi + p2, n_timesteps))`` with
    ``L = (n_timesteps / 2) / 15``. Per curve and per component, the offset
    ``p`` is uniform in ``[0, 2 pi)``, the frequency is ``(u - 0.5) / 1.5 * 15
    + 0.5`` and the amplitudes are ``a1 = u + 0.1`` and ``a2 = 1.2 * u``, each
    ``u`` uniform in ``[0, 1)`` and drawn independently.

    With ``n_timesteps=30``, splitting each curve 15 / 15 gives the seq2seq
    tutorial's training pairs (past, future); ``n_timesteps=60`` gives its
    longer test curves, which span the same time per step.

    Parameters
    ----------
    n_samples : int, default=100
        Number of curves.
    n_timesteps : int, default=30
        Number of time steps per curve.
    noise : float, default=0.0
        Standard deviation of the Gaussian noise added to every value.
    random_state : int, RandomState instance or None, default=None
        Seed of the draws; the same value gives the same array.

    Returns
    -------
    series : ndarray of shape (n_samples, n_timesteps, 1)
        The curves, float64, one feature.

    Examples
    --------
    >>> from sk_seq2seq import make_sine_cosine
    >>> series = make_sine_cosine(2000, 30, random_state=0)
    >>> series.shape
    (2000, 30, 1)
    >>> X, y = series[:, :15], series[:, 15:]
    >>> X.shape, y.shape
    ((2000, 15, 1), (2000, 15, 1))
    """
    for name, value in (("n_samples", n_samples), ("n_timesteps", n_timesteps)):
        if not isinstance(value, numbers.Integral) or value < 1:
            raise ValueError(
                f"{name} must be a positive integer, got {value!r}. "
                f"Pass e.g. {name}=30."
            )
    if not isinstance(noise, numbers.Real) or not np.isfinite(noise) or noise < 0:
        raise ValueError(
            f"noise must be a finite number >= 0, got {noise!r}. "
            "Pass e.g. noise=0.1, or 0.0 for clean curves."
        )
    rng = check_random_state(random_state)
    span = (n_timesteps / 2) / 15
    ramp = np.linspace(0.0, 1.0, n_timesteps)

    def component(wave, amplitude_scale, amplitude_shift):
        offset = rng.uniform(0.0, 2 * np.pi, size=(n_samples, 1))
        frequency = (rng.uniform(size=(n_samples, 1)) - 0.5) / 1.5 * 15 + 0.5
        amplitude = rng.uniform(size=(n_samples, 1)) * amplitude_scale
        # linspace(p, span * f * 3 * pi + p, n) written for all rows at once
        return (amplitude + amplitude_shift) * wave(
            offset + ramp * span * frequency * 3 * np.pi
        )

    series = component(np.sin, 1.0, 0.1) + component(np.cos, 1.2, 0.0)
    if noise:
        series = series + rng.normal(scale=noise, size=series.shape)
    return series[:, :, np.newaxis]
