"""Runs on this machine: one at a time in this process, or in parallel, each in a fresh spawned process
(MuJoCo and EGL state is never forked, and a run that kills its process takes only itself down)."""

import multiprocessing
import os
import signal
import threading
import time
from collections import deque
from collections.abc import Iterable, Iterator
from dataclasses import replace
from multiprocessing.connection import Connection, wait

from embodied.experiments.execute import RunJob, RunOutcome, execute, record_crash

ORPHANED = 75  # exit status of a run that stopped because its experiment process had died


def run_locally(jobs: Iterable[RunJob], workers: int) -> Iterator[RunOutcome]:
    """Outcomes as runs finish. With one worker the runs share this process and torch's threads; with more,
    each run gets its own process with one torch thread, so that the runs, not their threads, fill the cores."""
    if workers == 1:
        yield from map(execute, jobs)
        return
    context = multiprocessing.get_context("spawn")
    pending = deque(replace(job, threads=1) for job in jobs)
    running: dict[Connection, tuple[RunJob, multiprocessing.process.BaseProcess, float]] = {}
    try:
        while pending or running:
            while pending and len(running) < workers:
                job = pending.popleft()
                receive, send = context.Pipe(duplex=False)
                process = context.Process(target=_child, args=(job, send), name=f"run {job.label} seed {job.seed}",
                                          daemon=True)  # ended when this process exits
                process.start()
                send.close()
                running[receive] = (job, process, time.perf_counter())
            for receive in wait(list(running)):  # an outcome arrived, or the process died (end of file)
                job, process, started = running.pop(receive)
                try:
                    outcome = receive.recv()
                except EOFError:
                    outcome = None
                receive.close()
                process.join()
                yield outcome or record_crash(job, _death(process.exitcode), "", started)
    finally:  # interrupted: stop the runs still going; their checkpoints let a re-run resume them
        for receive, (_, process, _) in running.items():
            process.terminate()
            process.join()
            receive.close()


def _child(job: RunJob, send: Connection) -> None:
    _end_with(os.getppid())
    send.send(execute(job))
    send.close()


def _end_with(parent: int) -> None:
    """Stop this run within a second of its experiment process dying unannounced (kill, a closed terminal), which
    skips the cleanup that stops runs on Ctrl-C: an orphan would train on unseen and race the next invocation for
    its run folder. Its checkpoints let that invocation resume it, as after any kill."""
    def watch() -> None:
        while os.getppid() == parent:
            time.sleep(0.5)
        os._exit(ORPHANED)

    threading.Thread(target=watch, name="end with the experiment", daemon=True).start()


def _death(exitcode: int | None) -> str:
    if exitcode is not None and exitcode < 0:
        return f"the run's process was killed by {signal.Signals(-exitcode).name}"
    return f"the run's process exited with code {exitcode} before reporting an outcome"
