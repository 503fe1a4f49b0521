"""One (condition, seed) of an experiment, trained to its summary and filmed. The same function runs
in-process, in a spawned worker process and as a Ray task, and it never raises: a crash becomes an
`error.txt` in the run folder and a "crashed" outcome, so that the other runs go on."""

import json
import time
import traceback
from dataclasses import dataclass
from pathlib import Path
from typing import Any, Literal

import torch

from embodied.config import RunConfig
from embodied.run_folder import RunFolder

ERROR_FILE = "error.txt"
VIDEO_FILE = "videos/trained.mp4"


@dataclass(frozen=True)
class RunJob:
    label: str
    seed: int
    cfg: RunConfig
    video: bool
    threads: int | None = None  # torch threads of the process; None leaves torch's default

    @property
    def path(self) -> Path:
        return Path(self.cfg.run_dir) / str(self.cfg.name)


@dataclass(frozen=True)
class RunOutcome:
    job: RunJob
    status: Literal["finished", "crashed"]
    wall_seconds: float
    summary: dict[str, Any] | None = None
    error: str | None = None  # the exception's one-line form; error.txt has the traceback


def is_done(path: Path, video: bool) -> bool:
    """Finished earlier: a summary (and the video, if wanted) and no error since."""
    return ((path / "summary.json").is_file() and not (path / ERROR_FILE).exists()
            and (not video or (path / VIDEO_FILE).is_file()))


def execute(job: RunJob) -> RunOutcome:
    """Train the run (resuming from its last checkpoint if a killed attempt left one) and record its video."""
    from embodied.lifetime import train
    from embodied.trained_agent import load_trained_agent
    from embodied.video import record_video

    started = time.perf_counter()
    if job.threads is not None:
        torch.set_num_threads(job.threads)
    (job.path / ERROR_FILE).unlink(missing_ok=True)
    try:
        run = RunFolder.open(job.path) if (job.path / "config.yaml").is_file() else RunFolder.create(job.cfg)
        if not run.summary_path.is_file():
            train(run.config(), run, resume=run.latest_checkpoint() is not None, progress=False)
        if job.video and not (run.path / VIDEO_FILE).is_file():
            trained = load_trained_agent(run)
            record_video(trained.cfg, lambda _world: trained.policy(), run.path / VIDEO_FILE)
        summary = json.loads(run.summary_path.read_text())
    except Exception as error:
        headline = "".join(traceback.format_exception_only(error)).strip()
        return record_crash(job, headline, "".join(traceback.format_exception(error)), started)
    return RunOutcome(job, "finished", time.perf_counter() - started, summary)


def record_crash(job: RunJob, headline: str, details: str, started: float) -> RunOutcome:
    """Write `error.txt` (the one-line error, then the details) and return the crashed outcome."""
    job.path.mkdir(parents=True, exist_ok=True)
    (job.path / ERROR_FILE).write_text(f"{headline}\n\n{details}")
    return RunOutcome(job, "crashed", time.perf_counter() - started, error=headline)


def read_error(path: Path) -> str | None:
    """The one-line error of a crashed run folder, None if it has not crashed."""
    file = path / ERROR_FILE
    return file.read_text().partition("\n\n")[0] if file.is_file() else None
