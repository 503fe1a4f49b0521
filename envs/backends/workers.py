"""Worker threads with fixed jobs: job i of every call runs on thread i.

A GL context is current in one thread only, so the worker that renders a share of the worlds must be the
same thread every step; a general thread pool would hand the share to whichever thread is free. For the
same reason a worker frees what it made (its GL contexts) itself, as it stops. MuJoCo releases the GIL while
it steps and renders, so the workers use several cores for physics; Mesa's software renderer, though, draws
for one context at a time in a process, so on it several workers render no faster than one (measured: 8
eyes of 40 px, 1.9 ms in one thread, 1.8 ms in two).
"""

import queue
import threading
from collections.abc import Callable, Sequence
from typing import Any


class PinnedWorkers:
    """`count` threads; with one, jobs run in the calling thread and no thread is started. `on_exit(i)` runs
    on worker i when it stops."""

    def __init__(self, count: int, on_exit: Callable[[int], None] | None = None):
        self.count, self.closed = count, False
        self._on_exit = on_exit
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
            del job, function, argument  # an idle worker must not keep its last job's objects alive
        if self._on_exit is not None:
            self._on_exit(index)

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

    def close(self, wait: bool = True) -> None:
        """Stop the workers (each runs `on_exit` first); `wait=False` returns without waiting for them, as a
        finalizer that may run on any thread must."""
        if self.closed:
            return
        self.closed = True
        if not self._threads and self._on_exit is not None:
            self._on_exit(0)
        for inbox in self._inboxes:
            inbox.put(None)
        if wait:
            for thread in self._threads:
                thread.join()
