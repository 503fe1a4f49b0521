"""What an experiment has produced so far, read from its folders (the truth, even after a crash or a kill):
conditions -> seeds -> run folder, status and summary. The report reads it; `results.json` is a copy."""

import json
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, Literal

import yaml

from embodied.config import ConfigError
from embodied.experiments.execute import VIDEO_FILE, read_error
from embodied.experiments.spec import Condition, ExperimentSpec, conditions, run_path
from embodied.run_folder import atomic_write

EXPERIMENT_FILE = "experiment.yaml"
RESULTS_FILE = "results.json"
Status = Literal["finished", "crashed", "unfinished"]


@dataclass
class RunRecord:
    seed: int
    path: Path
    status: Status
    summary: dict[str, Any] | None
    error: str | None  # one line; the run folder's error.txt has the traceback
    video: Path | None


@dataclass
class ConditionRecord:
    label: str
    folder: str
    values: dict[str, Any]
    runs: dict[int, RunRecord] = field(default_factory=dict)  # by seed


@dataclass
class ExperimentRecord:
    name: str
    path: Path
    spec: ExperimentSpec
    conditions: dict[str, ConditionRecord]  # by label, in grid order

    def counts(self) -> dict[str, int]:
        statuses = [run.status for c in self.conditions.values() for run in c.runs.values()]
        return {status: statuses.count(status) for status in ("finished", "crashed", "unfinished")}

    def to_json(self) -> dict[str, Any]:
        """Plain JSON; paths relative to the experiment folder so that it can be moved."""
        def run_json(run: RunRecord) -> dict[str, Any]:
            return {"seed": run.seed, "status": run.status, "path": str(run.path.relative_to(self.path)),
                    "summary": run.summary, "error": run.error,
                    "video": str(run.video.relative_to(self.path)) if run.video else None}

        return {"name": self.name, "experiment": self.spec.model_dump(mode="json"), "counts": self.counts(),
                "conditions": [{"label": c.label, "folder": c.folder, "values": c.values,
                                "runs": [run_json(run) for run in c.runs.values()]}
                               for c in self.conditions.values()]}


def load_experiment(path: str | Path) -> ExperimentRecord:
    """The experiment at `path` (its folder or its experiment.yaml), as its run folders stand now."""
    path = Path(path)
    root = path.parent if path.name == EXPERIMENT_FILE else path
    file = root / EXPERIMENT_FILE
    if not file.is_file():
        raise ConfigError(f"{root} is not an experiment folder: it has no {EXPERIMENT_FILE} "
                          "(experiments live under run_dir/experiments/)")
    spec = ExperimentSpec.model_validate(yaml.safe_load(file.read_text()))
    grid = {c.label: _condition(root, c, spec.seeds) for c in conditions(spec)}
    return ExperimentRecord(str(spec.name), root, spec, grid)


def read_run(path: Path, seed: int) -> RunRecord:
    summary_file, video = path / "summary.json", path / VIDEO_FILE
    summary = json.loads(summary_file.read_text()) if summary_file.is_file() else None
    error = read_error(path)
    status: Status = "crashed" if error else "finished" if summary else "unfinished"
    return RunRecord(seed, path, status, summary, error, video if video.is_file() else None)


def write_results(record: ExperimentRecord) -> Path:
    out = record.path / RESULTS_FILE
    atomic_write(out, lambda f: f.write(json.dumps(record.to_json(), indent=2).encode()))
    return out


def _condition(root: Path, condition: Condition, seeds: list[int]) -> ConditionRecord:
    runs = {seed: read_run(run_path(root, condition, seed), seed) for seed in seeds}
    return ConditionRecord(condition.label, condition.folder, dict(condition.values), runs)
