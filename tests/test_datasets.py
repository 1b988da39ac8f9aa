import numpy as np
import pytest

from sk_seq2seq import make_sine_cosine


class TestMakeSineCosine:
    def test_shape_and_dtype(self):
        series = make_sine_cosine(7, 60, random_state=0)
        assert series.shape == (7, 60, 1)
        assert series.dtype == np.float64

    def test_defaults(self):
        assert make_sine_cosine(random_state=0).shape == (100, 30, 1)

    def test_same_random_state_same_array(self):
        np.testing.assert_array_equal(
            make_sine_cosine(5, random_state=3), make_sine_cosine(5, random_state=3)
        )
        assert not np.allclose(
            make_sine_cosine(5, random_state=3), make_sine_cosine(5, random_state=4)
        )

    def test_rows_follow_the_tutorials_formula(self):
        # replay the draws in the documented order for a single curve
        rng = np.random.RandomState(0)
        p1, f1, a1 = rng.uniform(0, 2 * np.pi), rng.uniform(), rng.uniform()
        p2, f2, a2 = rng.uniform(0, 2 * np.pi), rng.uniform(), rng.uniform()
        f1, f2 = (f1 - 0.5) / 1.5 * 15 + 0.5, (f2 - 0.5) / 1.5 * 15 + 0.5
        span = (30 / 2) / 15
        expected = (a1 + 0.1) * np.sin(
            np.linspace(p1, span * f1 * 3 * np.pi + p1, 30)
        ) + 1.2 * a2 * np.cos(np.linspace(p2, span * f2 * 3 * np.pi + p2, 30))
        np.testing.assert_allclose(
            make_sine_cosine(1, 30, random_state=0)[0, :, 0], expected
        )

    def test_noise_has_the_requested_spread(self):
        clean = make_sine_cosine(500, 30, random_state=0)
        noisy = make_sine_cosine(500, 30, noise=0.1, random_state=0)
        assert np.std(noisy - clean) == pytest.approx(0.1, rel=0.05)

    @pytest.mark.parametrize(
        "kwargs, message",
        [
            ({"n_samples": 0}, "n_samples must be a positive integer, got 0"),
            ({"n_timesteps": 2.5}, "n_timesteps must be a positive integer"),
            ({"noise": -1.0}, "noise must be a finite number >= 0, got -1.0"),
        ],
    )
    def test_bad_arguments(self, kwargs, message):
        with pytest.raises(ValueError, match=message):
            make_sine_cosine(**kwargs)
