"""Seq2SeqModule through its public API: shapes, options, argument checks."""

import numpy as np
import pytest
import torch

from sk_seq2seq import Seq2SeqModule

LONG = dict(n_features=3, n_targets=2, n_future=30, target_index=[0, 1])


def forecast(module, past, future_covariates=None):
    module.eval()
    with torch.no_grad():
        return module(past, future_covariates)


class TestShapes:
    @pytest.mark.parametrize("decoder", ["recurrent", "parallel"])
    @pytest.mark.parametrize("segment_length", [1, 7, 24])
    @pytest.mark.parametrize("channel_independent", [False, True])
    def test_long_windows_any_lengths(
        self, decoder, segment_length, channel_independent
    ):
        # 97 past and 30 future steps are multiples of none of the segments
        module = Seq2SeqModule(
            **LONG,
            segment_length=segment_length,
            decoder=decoder,
            channel_independent=channel_independent,
        )
        assert forecast(module, torch.randn(4, 97, 3)).shape == (4, 30, 2)

    def test_a_past_shorter_than_one_segment(self):
        module = Seq2SeqModule(**LONG, segment_length=24)
        assert forecast(module, torch.randn(2, 5, 3)).shape == (2, 30, 2)

    @pytest.mark.parametrize("decoder", ["recurrent", "parallel"])
    def test_attention(self, decoder):
        module = Seq2SeqModule(
            **LONG, segment_length=8, decoder=decoder, attention=True, num_layers=1
        )
        assert forecast(module, torch.randn(4, 48, 3)).shape == (4, 30, 2)


class TestDecoders:
    def test_parallel_segments_do_not_read_each_other(self):
        # each output segment depends on the context and its position only:
        # changing the first segment's head output cannot reach the others
        torch.manual_seed(0)
        module = Seq2SeqModule(1, 1, 12, segment_length=4, decoder="parallel")
        past = torch.randn(2, 16, 1)
        before = forecast(module, past)
        with torch.no_grad():
            module.position_embedding[0] += 1.0
        after = forecast(module, past)
        assert not torch.allclose(before[:, :4], after[:, :4])
        torch.testing.assert_close(before[:, 4:], after[:, 4:])

    def test_recurrent_segments_feed_back(self):
        torch.manual_seed(0)
        module = Seq2SeqModule(1, 1, 12, segment_length=4, target_index=[0])
        past = torch.randn(2, 16, 1)
        before = forecast(module, past)
        changed = past.clone()
        changed[:, -4:-1] += 1.0  # the last segment, not the last value
        assert not torch.allclose(before, forecast(module, changed))

    def test_teacher_forcing_reads_the_true_previous_segment(self):
        torch.manual_seed(0)
        module = Seq2SeqModule(
            1, 1, 8, segment_length=4, target_index=[0], teacher_forcing=1.0
        ).train()
        past, target = torch.randn(2, 8, 1), torch.randn(2, 8, 1)
        with torch.no_grad():
            forced = module(past, target=target)
            other = target.clone()
            other[:, 4:] += 1.0  # read by no step: the last segment's input is 0..3
            torch.testing.assert_close(forced, module(past, target=other))
            other[:, :4] += 1.0
            assert not torch.allclose(forced[:, 4:], module(past, target=other)[:, 4:])


class TestChannelIndependence:
    def test_each_channel_forecast_from_its_own_past(self):
        torch.manual_seed(0)
        module = Seq2SeqModule(2, 2, 5, target_index=[0, 1], channel_independent=True)
        past = torch.randn(3, 10, 2)
        before = forecast(module, past)
        changed = past.clone()
        changed[:, :, 1] += 1.0
        after = forecast(module, changed)
        torch.testing.assert_close(before[:, :, 0], after[:, :, 0])
        assert not torch.allclose(before[:, :, 1], after[:, :, 1])

    def test_covariates_are_read_beside_every_channel(self):
        torch.manual_seed(0)
        module = Seq2SeqModule(3, 2, 5, target_index=[0, 2], channel_independent=True)
        past = torch.randn(3, 10, 3)
        changed = past.clone()
        changed[:, :, 1] += 1.0  # the covariate
        difference = forecast(module, past) - forecast(module, changed)
        assert (difference.abs().amax(dim=(0, 1)) > 0).all()


class TestWindowNorm:
    @pytest.mark.parametrize("window_norm", ["revin", "last_value"])
    def test_a_shift_of_the_targets_shifts_the_forecast(self, window_norm):
        module = Seq2SeqModule(
            2, 1, 6, window_norm=window_norm, target_index=[0], segment_length=3
        )
        past = torch.randn(3, 9, 2)
        shifted = past.clone()
        shifted[:, :, 0] += 100.0
        np.testing.assert_allclose(
            forecast(module, shifted) - 100.0, forecast(module, past), atol=1e-3
        )

    @pytest.mark.parametrize("window_norm", ["revin", "last_value"])
    def test_a_covariates_level_is_kept(self, window_norm):
        torch.manual_seed(0)
        module = Seq2SeqModule(2, 1, 6, window_norm=window_norm, target_index=[0])
        past = torch.randn(3, 9, 2)
        shifted = past.clone()
        shifted[:, :, 1] += 3.0
        assert not torch.allclose(forecast(module, past), forecast(module, shifted))

    def test_window_stats_input_lets_the_level_reach_the_forecast(self):
        torch.manual_seed(0)
        module = Seq2SeqModule(
            1, 1, 6, window_norm="last_value", target_index=[0], window_stats_input=True
        )
        past = torch.randn(3, 9, 1)
        moved = forecast(module, past + 1.0) - 1.0
        assert not torch.allclose(moved, forecast(module, past), atol=1e-4)


class TestFutureCovariates:
    @pytest.mark.parametrize("decoder", ["recurrent", "parallel"])
    def test_the_decoder_reads_each_future_segment(self, decoder):
        torch.manual_seed(0)
        module = Seq2SeqModule(
            1, 1, 8, n_future_features=2, segment_length=4, decoder=decoder
        )
        past, known = torch.randn(2, 8, 1), torch.randn(2, 8, 2)
        before = forecast(module, past, known)
        changed = known.clone()
        changed[:, 4:] += 1.0  # the second segment's known values
        after = forecast(module, past, changed)
        torch.testing.assert_close(before[:, :4], after[:, :4])
        assert not torch.allclose(before[:, 4:], after[:, 4:])

    def test_missing_future_covariates(self):
        module = Seq2SeqModule(1, 1, 4, n_future_features=2)
        with pytest.raises(ValueError, match=r"future_covariates must have shape"):
            module(torch.zeros(2, 5, 1))

    def test_unexpected_future_covariates(self):
        with pytest.raises(ValueError, match="n_future_features=0"):
            Seq2SeqModule(1, 1, 4)(torch.zeros(2, 5, 1), torch.zeros(2, 4, 1))


class TestWeightPenalty:
    def test_counts_the_new_weight_matrices_but_not_the_head(self):
        module = Seq2SeqModule(
            1, 1, 8, segment_length=4, attention=True, decoder="parallel"
        )
        with torch.no_grad():
            before = module.weight_penalty()
            module.head.weight.add_(1.0)
            assert module.weight_penalty() == before
            module.encoder_embedding[0].weight.add_(1.0)
            assert module.weight_penalty() > before
            before = module.weight_penalty()
            module.attention_combine.weight.add_(1.0)
            assert module.weight_penalty() > before


class TestBadArguments:
    @pytest.mark.parametrize(
        "kwargs, message",
        [
            (dict(window_norm="RevIN"), r"window_norm .*did you mean 'revin'"),
            (dict(window_norm="mean"), r"window_norm must be one of"),
            (dict(decoder="Parallel"), r"decoder .*did you mean 'parallel'"),
            (dict(decoder="transformer"), r"decoder must be one of"),
            (dict(segment_length=0), r"segment_length must be an integer >= 1"),
            (dict(hidden_dim=0), r"hidden_dim must be an integer >= 1"),
            (dict(n_future_features=-1), r"n_future_features must be an integer >= 0"),
            (dict(teacher_forcing=1.5), r"teacher_forcing must be in \[0, 1\]"),
            (
                dict(teacher_forcing=0.5, decoder="parallel"),
                r"needs decoder='recurrent'",
            ),
            (dict(target_index=[0, 0]), r"target_index must list 1 distinct"),
            (dict(target_index=[3]), r"target_index must list 1 distinct"),
            (dict(target_index=[0.7]), r"target_index must list 1 distinct"),
            (dict(channel_independent=True), r"channel_independent=True needs"),
            (dict(window_stats_input=True), r"window_stats_input=True feeds"),
        ],
    )
    def test_value_errors_name_the_argument(self, kwargs, message):
        with pytest.raises(ValueError, match=message):
            Seq2SeqModule(2, 1, 3, **kwargs)

    @pytest.mark.parametrize("value", [2.0, "3", True])
    def test_non_integer_segment_length(self, value):
        with pytest.raises(TypeError, match="segment_length must be an integer"):
            Seq2SeqModule(1, 1, 3, segment_length=value)

    def test_numpy_integers_are_accepted(self):
        module = Seq2SeqModule(
            1, 1, 3, hidden_dim=np.int64(4), segment_length=np.int64(2)
        )
        assert forecast(module, torch.zeros(2, 5, 1)).shape == (2, 3, 1)

    def test_a_target_longer_than_the_horizon(self):
        # issue 15: with teacher_forcing=1 a 7-step target must not give 7 steps
        module = Seq2SeqModule(1, 1, 3, target_index=[0], teacher_forcing=1.0)
        with pytest.raises(ValueError, match=r"target must have shape \(2, 3, 1\)"):
            module(torch.zeros(2, 5, 1), target=torch.zeros(2, 7, 1))

    def test_wrong_number_of_features(self):
        with pytest.raises(
            ValueError, match=r"past must have shape \(batch, n_past, 2\)"
        ):
            Seq2SeqModule(2, 1, 3)(torch.zeros(2, 5, 1))


class TestLinearPath:
    @pytest.mark.parametrize("window_norm", ["last_std", "last_value"])
    def test_its_least_squares_is_nlinears(self, window_norm):
        # NLinear without intercept: Ridge on the past minus its last value,
        # the last value added back
        from sklearn.linear_model import Ridge

        rng = np.random.default_rng(0)
        steps = np.cumsum(rng.normal(size=(300, 20)), axis=1) * rng.uniform(
            0.1, 10, (300, 1)
        )
        past, future = steps[:, :14], steps[:, 14:]
        module = Seq2SeqModule(
            1, 1, 6, window_norm=window_norm, target_index=[0],
            segment_length=7, linear_path=True, n_past=14,
        )  # fmt: skip
        module.fit_linear_path(
            torch.tensor(past[..., None], dtype=torch.float32),
            torch.tensor(future[..., None], dtype=torch.float32),
        )
        last = past[:, -1:]
        nlinear = Ridge(alpha=1e-3, fit_intercept=False)
        nlinear.fit(past - last, future - last)
        expected = nlinear.predict(past - last) + last
        got = forecast(module, torch.tensor(past[..., None], dtype=torch.float32))
        np.testing.assert_allclose(got[..., 0].numpy(), expected, rtol=1e-4, atol=1e-3)

    def test_a_shift_of_the_targets_shifts_the_forecast(self):
        module = Seq2SeqModule(
            1, 1, 6, window_norm="last_std", target_index=[0],
            linear_path=True, n_past=9,
        )  # fmt: skip
        with torch.no_grad():
            module.linear.weight.normal_()
        past = torch.randn(3, 9, 1)
        np.testing.assert_allclose(
            forecast(module, past + 100.0) - 100.0, forecast(module, past), atol=1e-3
        )

    def test_normal_equations_summed_over_parts_give_the_same_fit(self):
        rng = np.random.default_rng(1)
        past = torch.tensor(
            rng.normal(size=(200, 12, 1)).cumsum(1), dtype=torch.float32
        )
        future = torch.tensor(rng.normal(size=(200, 4, 1)), dtype=torch.float32)
        module = Seq2SeqModule(
            1, 1, 4, window_norm="last_std", target_index=[0],
            linear_path=True, n_past=12,
        )  # fmt: skip
        module.fit_linear_path(past, future)
        whole = module.linear.weight.clone()
        parts = [module.linear_path_moments(past[i::3], future[i::3]) for i in range(3)]
        module.solve_linear_path(*(sum(p[k] for p in parts) for k in range(2)))
        torch.testing.assert_close(module.linear.weight, whole)
