"""Warp launches replayed as captured graphs, and Warp's work ordered with torch's.

mujoco_warp launches tens of small kernels per physics step, and Python's cost of launching them is most of a
step's time unless the worlds are many (on Warp's CPU device, five steps of four worlds took 27 ms launched one by
one and 0.7 ms replayed). A sequence of launches that reads and writes the same arrays every time is run once as it
is (which loads its kernels), then captured into a graph and replayed: a CUDA graph on a GPU, Warp's recording of
the launches on the CPU (the same results, bit for bit). Its inputs are written into its arrays before a replay.
"""

import warnings
from collections.abc import Callable
from contextlib import contextmanager

import torch
import warp as wp


class Replay:
    """`launches()` run as it is the first time, captured the second and replayed from then on. Launches that this
    device cannot capture are launched one by one from then on, with a warning (slower, the same results)."""

    def __init__(self, launches: Callable[[], None], device: wp.Device):
        self.launches, self.device = launches, device
        self.graph = None
        self.loaded = False
        self.capturable = True

    def __call__(self) -> None:
        stream = wp.get_stream(self.device) if self.device.is_cuda else None
        if self.graph is None and self.loaded and self.capturable:
            try:
                with wp.ScopedCapture(device=self.device, stream=stream) as capture:
                    self.launches()
                self.graph = capture.graph
            except Exception as error:  # whatever the device refuses to capture
                self.capturable = False
                warnings.warn(f"{getattr(self.launches, '__qualname__', self.launches)} could not be captured as a "
                              f"graph on {self.device} ({error}); its kernels are launched one by one", stacklevel=2)
        if self.graph is None:
            self.launches()
            self.loaded = True
        else:
            wp.capture_launch(self.graph, stream=stream)


@contextmanager
def after_torch(device: wp.Device):
    """Warp's launches on `device` queued after what torch has queued on its current stream, and torch's next work
    after them: stream waits on the device, no host round trip. Nothing to order on the CPU."""
    if not device.is_cuda:
        with wp.ScopedDevice(device):
            yield
        return
    torch_stream = wp.stream_from_torch(torch.cuda.current_stream(device.alias))
    warp_stream = wp.get_stream(device)
    warp_stream.wait_stream(torch_stream)
    try:
        with wp.ScopedDevice(device):
            yield
    finally:
        torch_stream.wait_stream(warp_stream)
