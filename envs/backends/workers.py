"""Worker threads with fixed jobs: job i of every call runs on thread i.

A GL context is current in one thread only, so the worker that renders a share of the worlds must be the
same thread every step; a general thread pool would hand the share to whichever thread is free. MuJoCo
releases the GIL while it steps and renders, so the workers use several cores.
"""

import queue
import threading
from collections.abc import Callable, Sequence
from typing import Any


class PinnedWorkers:
    """`count` threads; with one, jobs run in the calling thread and no thread is started."""

    def __init__(self, count: int):
        self.count, self.closed = count, False
        self._inboxes: list[queue.SimpleQueue] = []
        self._results: queue.SimpleQueue = queue.SimpleQueue()
        self._threads = []
        if count > 1:
            for index in range(count):
                inbox = queue.SimpleQueue()
                thread = threading.Thread(target=self._serve, args=(index, inbox), daemon=True,
                                          name=f"embodied-world-{index}")
                thread.start()
                self._inboxes.append(inbox)
                self._threads.append(thread)

    def _serve(self, index: int, inbox: queue.SimpleQueue) -> None:
        while (job := inbox.get()) is not None:
            function, argument = job
            try:
                self._results.put((index, function(index, argument), None))
            except BaseException as error:  # handed to the caller, which re-raises it
                self._results.put((index, None, error))

    def run(self, function: Callable[[int, Any], Any], arguments: Sequence[Any]) -> list[Any]:
        """[function(i, arguments[i]) run on worker i, for every i]; the first error is raised here."""
        if self.closed:
            raise RuntimeError("the world's worker threads are closed; make a new world")
        if len(arguments) != self.count:
            raise ValueError(f"{len(arguments)} arguments for {self.count} workers")
        if not self._threads:
            return [function(0, arguments[0])]
        for inbox, argument in zip(self._inboxes, arguments, strict=True):
            inbox.put((function, argument))
        results: list[Any] = [None] * self.count
        errors = []
        for _ in range(self.count):
            index, result, error = self._results.get()
            results[index] = result
            if error is not None:
                errors.append(error)
        if errors:
            raise errors[0]
        return results

    def close(self) -> None:
        for inbox in self._inboxes:
            inbox.put(None)
        for thread in self._threads:
            thread.join()
        self._inboxes, self._threads, self.closed = [], [], True
