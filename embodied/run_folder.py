"""One folder per run: its resolved config, metrics, checkpoints, videos, plots and summary, laid out so
that a killed run resumes from its last good checkpoint, nothing is ever half-written, and one process at a time
works in it."""

import fcntl
import json
import os
import tempfile
import time
import warnings
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import IO, Any

import torch

from embodied.config import RunConfig, dump_config, load_config


class RunFolderError(Exception):
    """A run folder that cannot be used as asked; the message says why and what to do."""


def unwritable(path: Path, error: OSError) -> "RunFolderError":
    """The error for a file the system would not let a run write (a full disk, a read-only folder)."""
    return RunFolderError(f"cannot write {path}: {error.strerror or error}; make room on its disk or make "
                          f"{path.parent} writable, then continue the run with --resume (nothing was half-written)")


def atomic_write(path: Path, write: Callable[[IO[bytes]], None]) -> None:
    """Write a temp file in the same folder, then rename it: a crash leaves the old file or the new one; a write the
    system refuses leaves the old one and is a `RunFolderError` that says so."""
    tmp = None
    try:
        fd, tmp = tempfile.mkstemp(dir=path.parent, prefix=f".{path.name}.", suffix=TEMPORARY)
        with os.fdopen(fd, "wb") as f:
            write(f)
            f.flush()
            os.fsync(f.fileno())
        os.replace(tmp, path)
        if os.name == "posix":  # make the rename itself durable
            dir_fd = os.open(path.parent, os.O_RDONLY)
            try:
                os.fsync(dir_fd)
            finally:
                os.close(dir_fd)
    except BaseException as error:
        if tmp is not None:
            Path(tmp).unlink(missing_ok=True)
        if isinstance(error, OSError):
            raise unwritable(path, error) from error
        raise


TEMPORARY = ".tmp"  # suffix of what `atomic_write` writes before renaming it; a killed write leaves one behind


class RunFolder:
    """Paths and safe file handling of one run folder."""

    keep_checkpoints = 3

    def __init__(self, path: str | Path):
        self.path = Path(path)
        self.config_path = self.path / "config.yaml"
        self.metrics_path = self.path / "metrics.csv"
        self.summary_path = self.path / "summary.json"
        self.tb_dir = self.path / "tb"
        self.checkpoints_dir = self.path / "checkpoints"
        self.videos_dir = self.path / "videos"
        self.plots_dir = self.path / "plots"

    @classmethod
    def create(cls, cfg: RunConfig) -> "RunFolder":
        """A new run folder for a validated config, with the config (its name filled in) written to it."""
        if cfg.name is None:
            started = time.strftime("%Y%m%d-%H%M%S")
            cfg = cfg.model_copy(update={"name": f"{cfg.world.name}-{started}-seed{cfg.seed}"})
        run = cls(Path(cfg.run_dir) / cfg.name)
        if run.path.exists() and any(run.path.iterdir()):
            raise RunFolderError(f"run folder {run.path} already exists; continue it with "
                                 f"--resume {run.path}, or start a new run under another name (name=...)")
        for folder in (run.path, run.tb_dir, run.checkpoints_dir, run.videos_dir, run.plots_dir):
            folder.mkdir(parents=True, exist_ok=True)
        atomic_write(run.config_path, lambda f: f.write(dump_config(cfg).encode()))
        return run

    @classmethod
    def open(cls, path: str | Path) -> "RunFolder":
        """An existing run folder, checked to hold a config so that it can be resumed."""
        run = cls(path)
        if not run.path.is_dir():
            raise RunFolderError(f"no run folder at {run.path}; check the path (runs live under run_dir)")
        if not run.config_path.is_file():
            raise RunFolderError(f"{run.path} is not a run folder: it has no config.yaml")
        return run

    @contextmanager
    def held(self) -> Iterator[None]:
        """This process's hold on the run folder: an exclusive lock on RUN/.lock, which the system lets go of
        when the process ends, however it ends. A second process given the folder meanwhile is refused with an
        error that names the lock and its holder. Files a killed write left half-done are swept away here."""
        lock = self.path / ".lock"
        with open(lock, "a+") as file:
            try:
                fcntl.flock(file, fcntl.LOCK_EX | fcntl.LOCK_NB)
            except BlockingIOError:
                file.seek(0)
                holder = file.read().strip() or "another process"
                raise RunFolderError(f"run folder {self.path} is in use by {holder}, which holds the lock {lock}; "
                                     "wait for it to end (or stop it), then continue with --resume") from None
            file.seek(0)
            file.truncate()
            file.write(f"process {os.getpid()}")
            file.flush()
            for stale in self.path.rglob(f".*{TEMPORARY}"):
                stale.unlink()
            try:
                yield
            finally:
                fcntl.flock(file, fcntl.LOCK_UN)

    def config(self) -> RunConfig:
        return load_config(self.config_path)

    def checkpoints(self) -> list[Path]:
        """Checkpoint files, oldest first."""
        return sorted(self.checkpoints_dir.glob("step_*.pt"), key=_step)

    def latest_checkpoint(self) -> Path | None:
        found = self.checkpoints()
        return found[-1] if found else None

    def save_checkpoint(self, state: dict[str, Any], step: int) -> Path:
        """Write `state` atomically as the checkpoint of `step`, keeping only the last few."""
        path = self.checkpoints_dir / f"step_{step:012d}.pt"
        atomic_write(path, lambda f: torch.save(state, f))
        for old in self.checkpoints()[: -self.keep_checkpoints]:
            old.unlink()
        return path

    def load_checkpoint(self, path: str | Path) -> dict[str, Any]:
        """Load a checkpoint safely (tensors and plain containers only) onto the CPU."""
        path = Path(path)
        try:
            return torch.load(path, map_location="cpu", weights_only=True)
        except Exception as e:
            earlier = [p for p in self.checkpoints() if p.name < path.name]  # names are zero-padded steps
            fix = (f"delete it to resume from the previous checkpoint {earlier[-1]}" if earlier
                   else "no earlier checkpoint is left, so start a new run")
            raise RunFolderError(f"checkpoint {path} is unreadable ({type(e).__name__}: {e}); {fix}") from e

    def load_latest(self) -> tuple[dict[str, Any], int] | None:
        """The newest readable checkpoint and its step (None if there is none yet), skipping corrupt ones
        with a warning so that a crash while saving costs one checkpoint interval, not the run."""
        found = self.checkpoints()
        for path in reversed(found):
            try:
                return self.load_checkpoint(path), _step(path)
            except RunFolderError as e:
                warnings.warn(f"skipping corrupt checkpoint {path} ({e.__cause__!r}); "
                              "falling back to the one before", stacklevel=2)
        if found:
            raise RunFolderError(f"no readable checkpoint in {self.checkpoints_dir}; start a new run instead")
        return None

    @contextmanager
    def fitting(self, step: int) -> Iterator[None]:
        """Load the checkpoint of `step` into an agent or learner inside this: one that does not fit them (another
        agent, learner or body, another version's) is a `RunFolderError` that says so, not torch's traceback."""
        try:
            yield
        except (KeyError, RuntimeError, ValueError, TypeError) as error:  # what load_state_dict raise on a misfit
            raise RunFolderError(
                f"the checkpoint of step {step} in {self.path} does not fit this run's agent and learner: "
                f"{str(error).splitlines()[0]}. It was written with another agent or ppo config, another world's "
                "body or senses, or by another version of embodied: resume without overrides that change them, or "
                "start a new run") from None

    def write_summary(self, summary: dict[str, Any]) -> None:
        atomic_write(self.summary_path, lambda f: f.write(json.dumps(summary, indent=2).encode()))


def _step(checkpoint: Path) -> int:
    return int(checkpoint.stem.removeprefix("step_"))
