"""The demo command: options, printed comparison, and the two figures it writes."""

import contextlib
import io
import subprocess
import sys

import matplotlib.image
import pytest

from sk_seq2seq.__main__ import main


@pytest.fixture(scope="module")
def quick_run(tmp_path_factory):
    """Run ``--quick`` once into a fresh folder; return (folder, printed text)."""
    out = tmp_path_factory.mktemp("demo") / "figures"
    printed = io.StringIO()
    with contextlib.redirect_stdout(printed):
        code = main(["--quick", "--out", str(out)])
    assert code == 0
    return out, printed.getvalue()


class TestQuickRun:
    @pytest.mark.parametrize("name", ["loss.png", "predictions.png"])
    def test_writes_real_png_images(self, quick_run, name):
        out, _ = quick_run
        path = out / name
        assert path.read_bytes()[:8] == b"\x89PNG\r\n\x1a\n"
        image = matplotlib.image.imread(path)
        height, width = image.shape[:2]
        assert width >= 400 and height >= 300
        # a drawn figure, not a blank canvas
        assert image.std() > 0.05

    def test_prints_the_epoch_table_and_the_four_errors(self, quick_run):
        _, printed = quick_run
        assert "train_loss" in printed and "valid_loss" in printed
        errors = printed.split("Held-out MSE")[1].splitlines()[1:5]
        names = ("Seq2SeqRegressor", "Ridge", "last value", "window mean")
        assert len(errors) == len(names)
        for line, name in zip(errors, names):
            assert line.strip().startswith(name)
            assert float(line.split()[-1]) > 0


class TestOptions:
    def test_help_from_the_command_line(self):
        result = subprocess.run(
            [sys.executable, "-m", "sk_seq2seq", "--help"],
            capture_output=True,
            text=True,
            check=True,
        )
        for option in (
            "--out",
            "--epochs",
            "--hidden-dim",
            "--n-samples",
            "--random-state",
            "--quick",
        ):
            assert option in result.stdout

    @pytest.mark.parametrize(
        "argv, message",
        [
            (["--bogus"], "unrecognized arguments: --bogus"),
            (["--epochs", "0"], "argument --epochs: expected a positive integer"),
            (["--hidden-dim", "x"], "argument --hidden-dim: expected a positive"),
        ],
    )
    def test_bad_options_exit_with_code_2(self, argv, message, capsys):
        with pytest.raises(SystemExit) as error:
            main(argv)
        assert error.value.code == 2
        assert message in capsys.readouterr().err

    def test_out_must_not_be_a_file(self, tmp_path, capsys):
        path = tmp_path / "taken"
        path.write_text("")
        with pytest.raises(SystemExit) as error:
            main(["--quick", "--out", str(path)])
        assert error.value.code == 2
        assert "is a file" in capsys.readouterr().err
