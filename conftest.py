"""pytest's settings that depend on what is installed.

The notebooks run as tests through nbmake, part of the ``test`` extra. Turning
it on here rather than with ``--nbmake`` in ``addopts`` keeps a plain
``python -m pytest tests/test_windowing.py`` working where nbmake is not
installed: pytest refuses an option that no installed plugin defines.
``-p no:nbmake`` leaves the notebooks out.
"""


def pytest_configure(config):
    if config.pluginmanager.hasplugin("nbmake"):
        config.option.nbmake = True
