import os

os.environ.setdefault("MPLBACKEND", "Agg")

import numpy as np  # noqa: E402
import pytest  # noqa: E402
import torch  # noqa: E402

from sk_seq2seq import make_sine_cosine  # noqa: E402


@pytest.fixture(autouse=True)
def seed_everything():
    np.random.seed(0)
    torch.manual_seed(0)


@pytest.fixture(scope="module")
def windows():
    """The tutorial's pairs: past (300, 15, 1) and future (300, 15, 1)."""
    series = make_sine_cosine(300, 30, random_state=0)
    return series[:, :15], series[:, 15:]
