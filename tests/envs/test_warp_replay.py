"""Warp launches run once as they are, then captured and replayed as a graph; where a device cannot capture them,
launched one by one with a warning, to the same effect."""

import pytest

wp = pytest.importorskip("warp")
from envs.backends.warp_replay import Replay  # noqa: E402

wp.init()


@wp.kernel
def add_one(counter: wp.array(dtype=int)):
    wp.atomic_add(counter, 0, 1)


def counting(device: str):
    counter = wp.zeros(1, dtype=int, device=device)
    return counter, Replay(lambda: wp.launch(add_one, dim=1, inputs=[counter], device=device), wp.get_device(device))


def test_launches_are_captured_on_the_second_call_and_replayed_after():
    counter, replay = counting("cpu")
    replay()
    assert replay.graph is None and counter.numpy()[0] == 1, "the first call runs as it is"
    replay()
    replay()
    assert replay.graph is not None and counter.numpy()[0] == 3, "then a graph, replayed once a call"


def test_launches_a_device_cannot_capture_are_launched_one_by_one(monkeypatch):
    class Refusing:
        def __init__(self, *args, **kwargs):
            pass

        def __enter__(self):
            raise RuntimeError("capture refused")

        def __exit__(self, *exc_info):
            return False

    monkeypatch.setattr(wp, "ScopedCapture", Refusing)
    counter, replay = counting("cpu")
    replay()
    with pytest.warns(UserWarning, match="could not be captured as a graph .*capture refused"):
        replay()
    replay()
    assert replay.graph is None and counter.numpy()[0] == 3
