"""Issue 21: every public call runs on ``n_threads`` and gives the count back.

torch's intra-op thread count belongs to the caller's process: a call may set
it for its own duration only, also when it fails, and calls running at once
in threads of one process must leave it as it was.
"""

import threading
import warnings
from concurrent.futures import ThreadPoolExecutor

import numpy as np
import pytest
import torch
from sklearn.utils._param_validation import InvalidParameterError
from skorch.callbacks import Callback

from sk_seq2seq import Seq2SeqRegressor, _threads, make_sine_cosine

TINY = {"hidden_dim": 4, "num_layers": 1, "max_epochs": 1, "random_state": 0}

# the caller's count in these tests: not the policy's one thread, so that a
# count left behind shows
CALLERS = 3


class RecordThreads(Callback):
    """Record torch's thread count at every training batch in ``history_``."""

    def on_batch_begin(self, net, **kwargs):
        net.history.record_batch("threads", torch.get_num_threads())


class RaiseAt(Callback):
    """Raise ``error`` when the first training batch ends."""

    def __init__(self, error):
        self.error = error

    def on_batch_end(self, net, **kwargs):
        raise self.error


def threads_seen_in_training(model):
    return set(model.history_[:, "batches", :, "threads"][0])


def threads_seen_in_forecast(model, call, X):
    seen = []
    hook = model.net_.module_.register_forward_pre_hook(
        lambda module, inputs: seen.append(torch.get_num_threads())
    )
    try:
        call(X)
    finally:
        hook.remove()
    return set(seen)


@pytest.fixture(scope="module")
def data():
    series = make_sine_cosine(128, 10, random_state=0)
    return series[:, :6], series[:, 6:]


@pytest.fixture(scope="module")
def fitted(data):
    return Seq2SeqRegressor(**TINY).fit(*data)


@pytest.fixture(autouse=True)
def callers_threads():
    """The caller's process runs torch on CPU threads of its own choosing."""
    original = torch.get_num_threads()
    torch.set_num_threads(CALLERS)
    yield
    torch.set_num_threads(original)


def _fresh_thread_count():
    """The count a thread that starts using torch now gets (process-wide)."""
    counts = []
    thread = threading.Thread(target=lambda: counts.append(torch.get_num_threads()))
    thread.start()
    thread.join()
    return counts[0]


class TestRestored:
    @pytest.mark.parametrize(
        "call",
        ["fit", "partial_fit", "predict", "predict_interval", "score"],
    )
    def test_count_unchanged_by_every_public_call(self, data, fitted, call):
        X, y = data
        model = (
            fitted
            if call.startswith(("predict", "score"))
            else (Seq2SeqRegressor(**TINY))
        )
        args = (X, y) if call in ("fit", "partial_fit", "score") else (X,)
        getattr(model, call)(*args)
        assert torch.get_num_threads() == CALLERS
        assert _fresh_thread_count() == CALLERS

    def test_after_bad_input_inside_fit(self, data):
        X, y = data
        X = X.copy()
        X[3, 2, 0] = np.nan
        with pytest.raises(ValueError, match="NaN"):
            Seq2SeqRegressor(**TINY).fit(X, y)
        assert torch.get_num_threads() == CALLERS

    def test_after_a_callback_raises(self, data):
        model = Seq2SeqRegressor(**TINY, callbacks=[RaiseAt(RuntimeError("boom"))])
        with pytest.raises(RuntimeError, match="boom"):
            model.fit(*data)
        assert torch.get_num_threads() == CALLERS

    def test_after_keyboard_interrupt_in_fit(self, data):
        model = Seq2SeqRegressor(**TINY, callbacks=[RaiseAt(KeyboardInterrupt())])
        with warnings.catch_warnings():
            warnings.simplefilter("ignore")  # "Training was interrupted"
            try:
                model.fit(*data)
            except KeyboardInterrupt:
                pass
        assert torch.get_num_threads() == CALLERS

    def test_after_keyboard_interrupt_in_predict(self, data, fitted):
        def interrupt(module, inputs):
            raise KeyboardInterrupt

        hook = fitted.net_.module_.register_forward_pre_hook(interrupt)
        try:
            with pytest.raises(KeyboardInterrupt):
                fitted.predict(data[0])
        finally:
            hook.remove()
        assert torch.get_num_threads() == CALLERS

    def test_invalid_n_threads_refused_before_any_change(self, data, fitted):
        model = Seq2SeqRegressor(**TINY, n_threads=0)
        message = "The 'n_threads' parameter of Seq2SeqRegressor must be"
        with pytest.raises(InvalidParameterError, match=message):
            model.fit(*data)
        fitted_bad = Seq2SeqRegressor(**TINY).fit(*data).set_params(n_threads=-2)
        with pytest.raises(InvalidParameterError, match=message):
            fitted_bad.predict(data[0])
        assert torch.get_num_threads() == CALLERS

    def test_bool_n_threads_refused(self, data):
        with pytest.raises(TypeError, match="n_threads=True is a bool"):
            Seq2SeqRegressor(**TINY, n_threads=True).fit(*data)
        assert torch.get_num_threads() == CALLERS


class TestCountInsideTheCall:
    def test_default_is_one_thread(self, data):
        model = Seq2SeqRegressor(**TINY, callbacks=[RecordThreads()]).fit(*data)
        assert threads_seen_in_training(model) == {1}
        assert threads_seen_in_forecast(model, model.predict, data[0]) == {1}

    @pytest.mark.parametrize("n_threads, expected", [(2, 2), (5, 5), (-1, CALLERS)])
    def test_explicit_n_threads_honoured(self, data, n_threads, expected):
        model = Seq2SeqRegressor(
            **TINY, n_threads=n_threads, callbacks=[RecordThreads()]
        ).fit(*data)
        assert threads_seen_in_training(model) == {expected}
        model.partial_fit(*data)
        assert threads_seen_in_training(model) == {expected}
        for call in (model.predict, model.predict_interval):
            assert threads_seen_in_forecast(model, call, data[0]) == {expected}

    def test_policy_never_above_omp_num_threads(self, data, monkeypatch):
        # a policy of more threads than the bounds allow shows both bounds
        monkeypatch.setattr(_threads, "POLICY_THREADS", 8)
        monkeypatch.setenv("OMP_NUM_THREADS", "2")
        model = Seq2SeqRegressor(**TINY, callbacks=[RecordThreads()]).fit(*data)
        assert threads_seen_in_training(model) == {2}
        monkeypatch.delenv("OMP_NUM_THREADS")
        model.fit(*data)
        assert threads_seen_in_training(model) == {CALLERS}
        assert torch.get_num_threads() == CALLERS


class TestCallsAtOnce:
    N_WORKERS = 4

    def test_count_restored_after_concurrent_fits_and_predicts(self, data, fitted):
        X, y = data

        def fit_and_predict(n_threads):
            model = Seq2SeqRegressor(
                **TINY, n_threads=n_threads, callbacks=[RecordThreads()]
            ).fit(X, y)
            model.predict(X)
            fitted.predict(X)
            return n_threads, threads_seen_in_training(model)

        barrier = threading.Barrier(self.N_WORKERS)

        def worker_count():
            barrier.wait()  # one answer from every worker thread
            return torch.get_num_threads()

        requests = [None, 1, 2, None, 3, -1, None, 2] * 2
        with ThreadPoolExecutor(self.N_WORKERS) as pool:
            results = list(pool.map(fit_and_predict, requests))
            worker_counts = list(pool.map(lambda _: worker_count(), range(4)))
        expected = {None: 1, -1: CALLERS}
        for n_threads, seen in results:
            assert seen == {expected.get(n_threads, n_threads)}
        assert worker_counts == [CALLERS] * self.N_WORKERS
        assert torch.get_num_threads() == CALLERS
        assert _fresh_thread_count() == CALLERS
