"""scikit-learn's own estimator checks over every public estimator."""

from sklearn.utils.estimator_checks import parametrize_with_checks

from sk_seq2seq import NaiveForecaster, Seq2SeqRegressor, SeriesWindower

FIT_TRANSFORM_DIFFERS = (
    "by design fit_transform returns every training window while transform "
    "returns each series' last n_past steps (documented, like TargetEncoder)"
)
N_FEATURES_IS_CHANNELS = (
    "a row is a whole series of any length: n_features_in_ counts features per "
    "time step (the last axis), not time steps, and transform accepts any length"
)
EXPECTED_FAILED_CHECKS = {
    "NaiveForecaster": {},
    "Seq2SeqRegressor": {
        "check_regressors_train": (
            "the checks run 3 epochs to stay fast, too few to reach R² > 0.5 on "
            "the check's random data"
        ),
    },
    "SeriesWindower": {
        "check_transformer_general": FIT_TRANSFORM_DIFFERS,
        "check_transformer_data_not_an_array": FIT_TRANSFORM_DIFFERS,
        "check_n_features_in": N_FEATURES_IS_CHANNELS,
        "check_n_features_in_after_fitting": N_FEATURES_IS_CHANNELS,
        "check_fit2d_predict1d": (
            "a 1-D array is one univariate series, a documented input"
        ),
        "check_fit1d": "a 1-D array is one univariate series, a documented input",
        "check_fit2d_1feature": (
            "one column is a series of one time step, shorter than a window; the "
            "error names time steps, not features"
        ),
    },
}


@parametrize_with_checks(
    [
        NaiveForecaster(),
        Seq2SeqRegressor(max_epochs=3, random_state=0),
        SeriesWindower(n_past=1, n_future=1),
    ],
    expected_failed_checks=lambda est: EXPECTED_FAILED_CHECKS[type(est).__name__],
)
def test_sklearn_compatible(estimator, check):
    check(estimator)
