"""Fixtures for the whole suite."""

import pytest


@pytest.fixture(autouse=True, scope="session")
def sb3_logs_in_pytest_tmp(tmp_path_factory):
    """stable-baselines3 gives every learn() without a logger of its own a new folder in the system's /tmp, which
    nobody removes; $SB3_LOGDIR sends them to pytest's temporary folder instead."""
    with pytest.MonkeyPatch.context() as patch:
        patch.setenv("SB3_LOGDIR", str(tmp_path_factory.mktemp("sb3_logs")))
        yield
