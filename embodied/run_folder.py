"""One folder per run: its resolved config, metrics, checkpoints, videos, plots and summary, laid out so
that a killed run resumes from its last good checkpoint and nothing is ever half-written."""

import json
import os
import tempfile
import time
import warnings
from collections.abc import Callable
from pathlib import Path
from typing import IO, Any

import torch

from embodied.config import RunConfig, dump_config, load_config


class RunFolderError(Exception):
    """A run folder that cannot be used as asked; the message says why and what to do."""


def atomic_write(path: Path, write: Callable[[IO[bytes]], None]) -> None:
    """Write a temp file in the same folder, then rename it: a crash leaves the old file or the new one."""
    fd, tmp = tempfile.mkstemp(dir=path.parent, prefix=f".{path.name}.", suffix=".tmp")
    try:
        with os.fdopen(fd, "wb") as f:
            write(f)
            f.flush()
            os.fsync(f.fileno())
        os.replace(tmp, path)
    except BaseException:
        Path(tmp).unlink(missing_ok=True)
        raise
    if os.name == "posix":  # make the rename itself durable
        dir_fd = os.open(path.parent, os.O_RDONLY)
        try:
            os.fsync(dir_fd)
        finally:
            os.close(dir_fd)


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

    def write_summary(self, summary: dict[str, Any]) -> None:
        atomic_write(self.summary_path, lambda f: f.write(json.dumps(summary, indent=2).encode()))


def _step(checkpoint: Path) -> int:
    return int(checkpoint.stem.removeprefix("step_"))
