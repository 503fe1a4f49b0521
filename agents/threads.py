"""Torch's CPU threads around the step loop."""

from collections.abc import Iterator
from contextlib import contextmanager

import torch


@contextmanager
def one_thread_on_cpu(device: torch.device) -> Iterator[None]:
    """Acting on a small batch gains nothing from torch's OpenMP threads, and once idle they spin for a
    while on the cores the world needs to step and render; so the step loop keeps torch to one thread."""
    if device.type != "cpu":
        yield
        return
    threads = torch.get_num_threads()
    torch.set_num_threads(1)
    try:
        yield
    finally:
        torch.set_num_threads(threads)
