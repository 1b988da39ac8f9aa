"""GridSearchCV over hidden_dim with n_jobs=2 against n_jobs=1, in one run.

    python benchmarks/n_jobs.py            # about 3 minutes on 2 cores
    python benchmarks/n_jobs.py --quick    # a smoke run

Prints both wall times and their ratio (the speed-up), and checks the two
searches found the same scores. Run it on an otherwise idle machine: the
ratio measures how well the search uses the cores it has.
"""

from __future__ import annotations

import argparse
import os
import sys
import time

import numpy as np
import torch
from sklearn.model_selection import GridSearchCV

from sk_seq2seq import Seq2SeqRegressor, make_sine_cosine


def timed_search(X, y, n_jobs, max_steps):
    search = GridSearchCV(
        Seq2SeqRegressor(max_steps=max_steps, random_state=0),
        {"hidden_dim": [8, 12, 16, 24]},
        cv=3,
        n_jobs=n_jobs,
    )
    start = time.perf_counter()
    search.fit(X, y)
    return time.perf_counter() - start, search.cv_results_["mean_test_score"]


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--quick", action="store_true", help="a smoke run")
    args = parser.parse_args(argv)
    series = make_sine_cosine(600 if args.quick else 3000, 30, random_state=0)
    X, y = series[:, :15], series[:, 15:]
    max_steps = 20 if args.quick else 300
    print(
        f"{os.cpu_count()} cores, torch {torch.__version__} with "
        f"{torch.get_num_threads()} intra-op threads in this process"
    )
    # a first parallel run starts joblib's workers, which are then reused
    timed_search(X[:100], y[:100], 2, 1)
    serial, serial_scores = timed_search(X, y, 1, max_steps)
    parallel, parallel_scores = timed_search(X, y, 2, max_steps)
    same = np.array_equal(serial_scores, parallel_scores)
    print(
        f"n_jobs=1: {serial:.1f} s   n_jobs=2: {parallel:.1f} s   "
        f"speed-up: {serial / parallel:.2f}x   same scores: {same}"
    )
    return 0


if __name__ == "__main__":
    sys.exit(main())
