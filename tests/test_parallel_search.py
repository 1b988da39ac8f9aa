"""Scaling out: GridSearchCV across cores and on a Dask cluster, and CUDA."""

import pickle

import joblib
import numpy as np
import pytest
import torch
from sklearn.model_selection import GridSearchCV

from sk_seq2seq import Seq2SeqRegressor

GRID = {"hidden_dim": [4, 8]}


def search(n_jobs=None, **kwargs):
    return GridSearchCV(
        Seq2SeqRegressor(max_epochs=2, random_state=0),
        GRID,
        cv=2,
        n_jobs=n_jobs,
        **kwargs,
    )


def torch_threads(estimator, X, y):
    """A 'score' that reports how many intra-op threads the fit's worker had."""
    return float(torch.get_num_threads())


@pytest.fixture(scope="module")
def serial_scores(windows):
    return search().fit(*windows).cv_results_["mean_test_score"]


class TestAcrossCores:
    def test_parallel_search_gives_the_serial_scores(self, windows, serial_scores):
        parallel = search(n_jobs=2).fit(*windows)
        np.testing.assert_array_equal(
            parallel.cv_results_["mean_test_score"], serial_scores
        )

    def test_workers_do_not_oversubscribe_the_cores(self, windows):
        # joblib's workers cap torch at cores // n_jobs threads each
        threads = search(n_jobs=2, scoring=torch_threads, refit=False).fit(*windows)
        cap = max(1, joblib.cpu_count() // 2)
        assert (threads.cv_results_["mean_test_score"] <= cap).all()


class TestDask:
    def test_search_on_a_local_cluster_equals_the_serial_one(
        self, windows, serial_scores
    ):
        distributed = pytest.importorskip("dask.distributed")
        with (
            distributed.LocalCluster(
                n_workers=2,
                threads_per_worker=1,
                processes=True,
                host="127.0.0.1",
                dashboard_address=None,
            ) as cluster,
            distributed.Client(cluster),
        ):
            with joblib.parallel_backend("dask"):
                result = search().fit(*windows)
        np.testing.assert_array_equal(
            result.cv_results_["mean_test_score"], serial_scores
        )


cuda = pytest.mark.skipif(not torch.cuda.is_available(), reason="needs a CUDA GPU")


@pytest.fixture(scope="module")
def gpu_model(windows):
    return Seq2SeqRegressor(device="cuda", max_epochs=2, random_state=0).fit(*windows)


@cuda
class TestCuda:
    def test_module_and_predictions(self, gpu_model, windows):
        assert next(gpu_model.net_.module_.parameters()).is_cuda
        y_pred = gpu_model.predict(windows[0])
        assert isinstance(y_pred, np.ndarray) and y_pred.shape == windows[1].shape

    def test_pickle_round_trip(self, gpu_model, windows):
        loaded = pickle.loads(pickle.dumps(gpu_model))
        np.testing.assert_allclose(
            loaded.predict(windows[0]), gpu_model.predict(windows[0]), rtol=1e-5
        )

    def test_safe_format_loads_on_the_cpu(self, gpu_model, windows, tmp_path):
        gpu_model.save(tmp_path / "model.zip")
        loaded = Seq2SeqRegressor.load(tmp_path / "model.zip", device="cpu")
        assert not next(loaded.net_.module_.parameters()).is_cuda
        np.testing.assert_allclose(
            loaded.predict(windows[0]), gpu_model.predict(windows[0]), rtol=1e-4
        )
