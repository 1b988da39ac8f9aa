"""The demo's output is plain text when it does not go to a terminal."""

import io
import sys

import matplotlib

from sk_seq2seq.__main__ import main

matplotlib.use("Agg")


class Terminal(io.StringIO):
    def isatty(self):
        return True


def run_demo(stream, tmp_path, monkeypatch):
    monkeypatch.setattr(sys, "stdout", stream)
    assert main(["--quick", "--epochs", "3", "--out", str(tmp_path)]) == 0
    return stream.getvalue()


def test_no_colour_codes_in_a_file(tmp_path, monkeypatch):
    output = run_demo(io.StringIO(), tmp_path, monkeypatch)
    assert "train_loss" in output
    assert "\x1b[" not in output


def test_colours_stay_on_a_terminal(tmp_path, monkeypatch):
    # skorch marks the best losses in colour: the check above can fail
    assert "\x1b[" in run_demo(Terminal(), tmp_path, monkeypatch)
