"""torch's intra-op threads for the duration of one public call, then restored.

torch starts one intra-op thread per core. Our GRUs are small: their matrix
products are too short for several threads to pay, and when another process
keeps a core busy the threads wait on each other at every operation
(``benchmarks/results/THREADS.md``: on 2 shared cores, fits 4 to 18 times
slower than on one thread with one core busy). So a call
runs on the count its estimator's ``n_threads`` asks for and gives the
caller back the count it had, whatever happens inside.

The count is torch's, and torch keeps it in two places: a process-wide
number that a thread reads the first time it uses torch, and (with OpenMP,
the backend of the Linux and Windows wheels) the count of each thread that
has used torch. :func:`intra_op_threads` restores both. Several calls
running at once in threads of one process (a threaded joblib backend, Dask's
threaded workers, a web server predicting) share one record, under a lock:
the first call to enter reads the caller's count, and every call leaves its
thread at that count again (a call nested in another, at the enclosing
call's), so the last call to leave puts the process-wide number back too.
Calls asking different counts each get their own, since each thread keeps
its own. torch's inter-op threads are left alone: they cannot be changed
once torch has used them.
"""

from __future__ import annotations

import functools
import os
import threading
from contextlib import contextmanager
from numbers import Integral

import numpy as np
import torch
from sklearn.utils._param_validation import (
    Interval,
    Options,
    validate_parameter_constraints,
)

N_THREADS_CONSTRAINT = [
    None,
    Interval(Integral, 1, None, closed="left"),
    Options(Integral, {-1}),
]

# Threads for n_threads=None. Measured (benchmarks/results/THREADS.md): on 2
# shared cores one thread fitted both recipes 4 to 18 times faster than two,
# with one core busy and at the machine's load alone; no shipped model size
# was faster on more threads there.
POLICY_THREADS = 1

_lock = threading.Lock()
_running = 0  # calls inside intra_op_threads, in every thread of the process
_callers_count = 0  # torch's count when the first of them entered
_nesting = threading.local()  # per thread: the counts of its enclosing calls


def threads_for(n_threads: int | None, callers_count: int) -> int:
    """The intra-op threads a call runs on.

    Parameters
    ----------
    n_threads : int or None
        The estimator's ``n_threads``: ``None`` for the measured policy
        (:data:`POLICY_THREADS`, never above ``OMP_NUM_THREADS`` when that is
        set, nor above ``callers_count``), ``-1`` for ``callers_count``
        itself, a positive count for exactly that many.
    callers_count : int
        torch's count in the caller's process before the call.

    Returns
    -------
    count : int
        A positive number of threads.

    Examples
    --------
    >>> from sk_seq2seq._threads import threads_for
    >>> threads_for(None, 8), threads_for(-1, 8), threads_for(16, 8)
    (1, 8, 16)
    """
    if n_threads is None:
        limits = [POLICY_THREADS, callers_count, _omp_num_threads()]
        return max(1, min(limit for limit in limits if limit is not None))
    if n_threads == -1:
        return callers_count
    return n_threads


@contextmanager
def intra_op_threads(n_threads: int | None):
    """Run the ``with`` block on :func:`threads_for`'s count of threads.

    On leaving the block, also by an exception (``KeyboardInterrupt``
    included), the thread's count is what it was, and once no call is
    running any more, so is the process-wide count (see the module's
    docstring for calls running at once in several threads).

    Parameters
    ----------
    n_threads : int or None
        As for :func:`threads_for`.

    Yields
    ------
    count : int
        The threads the block runs on.

    Examples
    --------
    >>> import torch
    >>> from sk_seq2seq._threads import intra_op_threads
    >>> before = torch.get_num_threads()
    >>> with intra_op_threads(None) as count:
    ...     count == torch.get_num_threads() == 1
    True
    >>> torch.get_num_threads() == before
    True
    """
    global _running, _callers_count
    if not _can_change_threads():
        yield torch.get_num_threads()
        return
    enclosing = getattr(_nesting, "counts", None)
    if enclosing is None:
        enclosing = _nesting.counts = []
    with _lock:
        if _running == 0:
            _callers_count = torch.get_num_threads()
        _running += 1
        # a thread's first call restores the caller's count, not the one it
        # may have read from a call running in another thread
        enclosing.append(torch.get_num_threads() if enclosing else _callers_count)
        count = threads_for(n_threads, _callers_count)
        _set_threads(count)
    try:
        yield count
    finally:
        with _lock:
            _running -= 1
            _set_threads(enclosing.pop())


def with_intra_op_threads(method):
    """Decorate an estimator's public method to run on its ``n_threads``.

    ``n_threads`` is checked against :data:`N_THREADS_CONSTRAINT` first, with
    scikit-learn's message, since methods such as ``predict`` do not
    validate the parameters.
    """

    @functools.wraps(method)
    def wrapper(self, *args, **kwargs):
        # scikit-learn's Interval(Integral) lets bools through
        if isinstance(self.n_threads, (bool, np.bool_)):
            raise TypeError(
                f"n_threads={self.n_threads!r} is a bool, not a number of threads. "
                "Pass an integer, e.g. n_threads=1, or None for the default."
            )
        validate_parameter_constraints(
            {"n_threads": N_THREADS_CONSTRAINT},
            {"n_threads": self.n_threads},
            caller_name=type(self).__name__,
        )
        with intra_op_threads(self.n_threads):
            return method(self, *args, **kwargs)

    return wrapper


def _set_threads(count: int) -> None:
    if torch.get_num_threads() != count:
        torch.set_num_threads(count)


def _omp_num_threads() -> int | None:
    """``OMP_NUM_THREADS``'s first level (it may list nested ones, "4,2"), if set."""
    value = os.environ.get("OMP_NUM_THREADS", "").split(",")[0].strip()
    return int(value) if value.isdigit() and int(value) > 0 else None


@functools.cache
def _can_change_threads() -> bool:
    """Whether torch's count can change after torch has run (OpenMP only).

    torch's native thread pool (some builds) fixes its size when it starts
    and warns at every later change; there the caller's count stays.
    """
    return "parallel backend: OpenMP" in torch.__config__.parallel_info()
