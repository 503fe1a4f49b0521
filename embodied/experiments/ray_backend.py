"""Runs as Ray tasks, one CPU each, through Ray's own API: `ray.init(address=ADDRESS)` joins a cluster
("auto", "ray://head:10001") or, with "local", starts a Ray instance on this machine.

Every node must have this package installed and see the experiment folder at the same path (a shared
file system), since each task writes its run folder there. Tasks ask for no GPU, so Ray hides the GPUs
from them and they train on CPU."""

import time
from collections.abc import Iterable, Iterator
from contextlib import contextmanager

from embodied.config import ConfigError
from embodied.experiments.execute import RunJob, RunOutcome, execute, record_crash


@contextmanager
def ray_cluster(address: str) -> Iterator[None]:
    """Ray initialised for the block. A Ray this process already initialised is used as it is and left
    running; one started here is shut down after."""
    try:
        import ray
    except ImportError:
        raise ConfigError("--ray needs Ray; install it with pip install 'embodied[ray]'") from None
    started_here = not ray.is_initialized()
    if started_here:
        try:
            ray.init(address=address)
        except (ConnectionError, ValueError) as error:
            raise ConfigError(f"cannot start or reach Ray at {address!r}: {error}") from None
    try:
        yield
    finally:
        if started_here:
            ray.shutdown()


def run_on_ray(jobs: Iterable[RunJob]) -> Iterator[RunOutcome]:
    """Outcomes as tasks finish; a task whose worker died is recorded as crashed like any other crash."""
    import ray

    task = ray.remote(num_cpus=1)(execute)
    submitted = time.perf_counter()
    pending = {task.remote(job): job for job in jobs}
    try:
        while pending:
            [ready], _ = ray.wait(list(pending), num_returns=1)
            job = pending.pop(ready)
            try:
                outcome = ray.get(ready)
            except ray.exceptions.RayError as error:
                outcome = record_crash(job, f"Ray task failed: {type(error).__name__}", str(error), submitted)
            yield outcome
    finally:  # interrupted: cancel the rest; their checkpoints let a re-run resume them
        for ref in pending:
            ray.cancel(ref, force=True)
