"""An experiment file: a base run config, overrides for every run, axes whose product is the grid of
conditions, and seeds. `plan_experiment` builds and validates every run's config before any run starts,
so that a typo in an axis costs a second, not a night of runs."""

import hashlib
import itertools
import re
import shlex
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import yaml
from pydantic import BaseModel, ConfigDict, Field, ValidationError, field_validator

import envs
from embodied.config import ConfigError, RunConfig, _did_you_mean, _read_yaml, load_config
from embodied.run_folder import RunFolder

REPO = Path(__file__).resolve().parents[2]
DEFAULT_EXPERIMENT = "configs/experiments/default.yaml"
SET_PER_RUN = {"seed": "seeds", "name": "the run folder seed_<k>", "run_dir": "the experiment's folder"}


PREPARE_COMMANDS = ("ancestry", "genome", "train")


class PrepareStep(BaseModel):
    """A file the runs need (an ancestor, its genome) and the `embodied` command that makes it."""

    model_config = ConfigDict(extra="forbid")

    creates: str = Field(description="the file the command makes, relative to the working directory (run the "
                                     "experiment from the repository's root); the step runs only while it is missing")
    command: str = Field(description="an `embodied` command line without the word embodied, e.g. "
                                     "'genome runs/ancestry/forage/ancestor.pt'")

    @field_validator("command")
    @classmethod
    def known_command(cls, command: str) -> str:
        words = shlex.split(command)
        if not words or words[0] not in PREPARE_COMMANDS:
            raise ValueError(f"{command!r} is not an embodied command that makes a file; start it with one of "
                             f"{', '.join(PREPARE_COMMANDS)}")
        return command


class ExperimentSpec(BaseModel):
    """What an experiment file may say; `extra="forbid"` makes a misspelt key an error."""

    model_config = ConfigDict(extra="forbid")

    name: str | None = Field(None, pattern=r"^[A-Za-z0-9][A-Za-z0-9._-]*$",
                             description="folder under run_dir/experiments/; default: the file's name")
    description: str = Field("", description="the question the experiment asks, for the report")
    base: str | None = Field(None, description="run config file (relative to the working directory, the "
                                               "experiment file or the repository); null: the defaults")
    overrides: dict[str, Any] = Field(default_factory=dict, description="key.sub: value, applied to every run")
    axes: dict[str, list[Any]] = Field(default_factory=dict,
                                       description="key.sub: [values]; the conditions are their product")
    also: list[dict[str, Any]] = Field(
        default_factory=list, description="conditions beyond the grid, each {key.sub: value}, e.g. one factor "
        "ablated from a ladder's top rung; keys the axes have keep their first value unless given")
    seeds: list[int] = Field(3, validate_default=True, description="n (seeds 0..n-1) or a list of seeds")
    prepare: list[PrepareStep] = Field(
        default_factory=list, description="files the runs need, each made by an embodied command before the first "
        "run while it is missing, e.g. the ancestor that prior.artifact names")

    @field_validator("overrides")
    @classmethod
    def flatten(cls, overrides: dict[str, Any]) -> dict[str, Any]:
        """`{train: {total_steps: 5}}` means `train.total_steps: 5`, so that a section's other keys survive."""
        flat: dict[str, Any] = {}
        for key, value in overrides.items():
            if isinstance(value, dict) and value:
                flat.update({f"{key}.{sub}": v for sub, v in cls.flatten(value).items()})
            else:
                flat[key] = value
        return flat

    @field_validator("axes")
    @classmethod
    def distinct_values(cls, axes: dict[str, list[Any]]) -> dict[str, list[Any]]:
        for key, values in axes.items():
            if not values:
                raise ValueError(f"axis {key!r} has no values; give at least one")
            texts = [format_value(v) for v in values]
            if len(set(texts)) < len(texts):
                raise ValueError(f"axis {key!r} repeats a value: {texts}")
        return axes

    @field_validator("also")
    @classmethod
    def flatten_each(cls, also: list[dict[str, Any]]) -> list[dict[str, Any]]:
        return [cls.flatten(condition) for condition in also]

    @field_validator("seeds", mode="before")
    @classmethod
    def seeds_from_count(cls, seeds: Any) -> Any:
        if isinstance(seeds, int) and not isinstance(seeds, bool):
            if seeds < 1:
                raise ValueError("give at least one seed")
            return list(range(seeds))
        return seeds

    @field_validator("seeds")
    @classmethod
    def distinct_seeds(cls, seeds: list[int]) -> list[int]:
        if not seeds or len(set(seeds)) < len(seeds) or min(seeds) < 0:
            raise ValueError(f"seeds must be distinct non-negative integers, got {seeds}")
        return seeds


def format_value(value: Any) -> str:
    """A value as the YAML text that `key=value` overrides read back to the same value."""
    return yaml.safe_dump(value, default_flow_style=True, width=1 << 20).strip().removesuffix("...").strip()


@dataclass(frozen=True)
class Condition:
    """One point of the grid: a value for every axis."""

    values: tuple[tuple[str, Any], ...]

    @property
    def overrides(self) -> list[str]:
        return [f"{key}={format_value(value)}" for key, value in self.values]

    @property
    def label(self) -> str:
        """Readable and re-usable on the command line: `aux.forward_model=0.1,world.num_food=3`."""
        return ",".join(self.overrides) or "base"

    @property
    def folder(self) -> str:
        """The label made safe for a path; a part that had to change gets a hash so no two can collide."""
        parts = []
        for part in self.overrides or ["base"]:
            safe = re.sub(r"_*=_*", "=", re.sub(r"[^A-Za-z0-9._=+-]+", "_", part)).strip("_")[:80]
            parts.append(safe if safe == part else f"{safe}-{hashlib.sha1(part.encode()).hexdigest()[:6]}")
        return "__".join(parts)


def conditions(spec: ExperimentSpec) -> list[Condition]:
    """The product of the axes, in the order the file lists them (one condition when there are none), then the
    `also` conditions: the axes' keys at their first value unless given, then their own keys."""
    keys = list(spec.axes)
    grid = [Condition(tuple(zip(keys, combo, strict=True))) for combo in itertools.product(*spec.axes.values())]
    first = {key: values[0] for key, values in spec.axes.items()}
    extra = [Condition(tuple({**first, **condition}.items())) for condition in spec.also]
    if repeated := [c.label for c in extra if c in grid or extra.count(c) > 1]:
        raise ConfigError(f"'also' repeats a condition the experiment already has: {', '.join(repeated)}")
    return grid + extra


def run_path(root: Path, condition: Condition, seed: int) -> Path:
    return root / "runs" / condition.folder / f"seed_{seed}"


@dataclass(frozen=True)
class PlannedRun:
    condition: Condition
    seed: int
    cfg: RunConfig

    @property
    def path(self) -> Path:
        return Path(self.cfg.run_dir) / str(self.cfg.name)


@dataclass(frozen=True)
class Experiment:
    """A validated experiment: its resolved spec, its folder and every run's config."""

    spec: ExperimentSpec
    root: Path
    conditions: list[Condition]
    runs: list[PlannedRun]


def plan_experiment(path: str | Path | None, overrides: Sequence[str] = (),
                    seeds: int | Sequence[int] | None = None) -> Experiment:
    """Read an experiment file, apply `key.sub=value` overrides to every run and `seeds` (a count or a list) in
    place of the file's, and build every run's config; any problem is a ConfigError raised before anything is
    written. Runs are kept per seed, so more seeds later add runs beside the finished ones."""
    file = find(path or DEFAULT_EXPERIMENT, "experiment file")
    data = _read_yaml(file)
    if seeds is not None:
        data = {**data, "seeds": seeds}
    try:
        spec = ExperimentSpec.model_validate(data)
    except ValidationError as e:
        raise ConfigError("\n".join(_explain(file, err) for err in e.errors())) from None
    merged = {**spec.overrides, **_parse_overrides(overrides)}
    _check_keys(file, merged, spec.axes, spec.also)
    base = str(find(spec.base, "base config", file.parent)) if spec.base else None
    try:
        shared = load_config(base, [f"{k}={format_value(v)}" for k, v in merged.items()], envs.names())
    except ConfigError as e:
        raise ConfigError(f"{file}: {e}") from None
    root = Path(shared.run_dir).resolve() / "experiments" / (spec.name or file.stem)
    spec = spec.model_copy(update={"name": root.name, "base": base,
                                   "overrides": {**merged, "run_dir": str(root.parents[1])}})
    try:
        grid = conditions(spec)
    except ConfigError as e:
        raise ConfigError(f"{file}: {e}") from None
    # Seed by seed, every condition: an experiment stopped early (or a budget spent) leaves each condition with as
    # many seeds as the others, not the first conditions finished and the last not begun.
    runs = [_plan_run(file, spec, root, condition, seed) for seed in spec.seeds for condition in grid]
    return Experiment(spec, root, grid, runs)


def find(path: str | Path, what: str, beside: Path | None = None) -> Path:
    """`path` as given, else relative to `beside` (the experiment file's folder), else to the repository."""
    path = Path(path)
    candidates = [path] if path.is_absolute() else [path, *(d / path for d in (beside, REPO) if d is not None)]
    for candidate in candidates:
        if candidate.is_file():
            return candidate.resolve()
    raise ConfigError(f"{what} {str(path)!r} not found (looked in: {', '.join(str(c) for c in candidates)})")


def _plan_run(file: Path, spec: ExperimentSpec, root: Path, condition: Condition, seed: int) -> PlannedRun:
    folder = run_path(root, condition, seed)
    per_run = [f"seed={seed}", f"run_dir={format_value(str(folder.parent))}", f"name={folder.name}"]
    shared = [f"{k}={format_value(v)}" for k, v in spec.overrides.items()]
    try:
        cfg = load_config(spec.base, [*shared, *condition.overrides, *per_run], envs.names())
    except ConfigError as e:
        raise ConfigError(f"{file}, condition {condition.label!r}: {e}") from None
    _check_unchanged(RunFolder(folder), cfg, root)
    return PlannedRun(condition, seed, cfg)


def _check_unchanged(run: RunFolder, cfg: RunConfig, root: Path) -> None:
    """A run folder left by an earlier invocation must hold the same config, or results would mix."""
    if not run.config_path.is_file():
        return
    old, new = (_flat(c.model_dump(mode="json", exclude={"run_dir"})) for c in (run.config(), cfg))
    changed = [f"{k}: {old.get(k)!r} -> {new.get(k)!r}" for k in sorted(old.keys() | new.keys())
               if old.get(k) != new.get(k)]
    if changed:
        raise ConfigError(f"{run.path} was made with a different config ({'; '.join(changed[:3])}); give the "
                          f"experiment another name, or delete {root} to start it over")


def _flat(tree: dict[str, Any], prefix: str = "") -> dict[str, Any]:
    flat: dict[str, Any] = {}
    for key, value in tree.items():
        flat.update(_flat(value, f"{prefix}{key}.") if isinstance(value, dict) else {f"{prefix}{key}": value})
    return flat


def _parse_overrides(items: Sequence[str]) -> dict[str, Any]:
    parsed = {}
    for item in items:
        key, sep, text = item.partition("=")
        if not sep or not key.strip():
            raise ConfigError(f"override {item!r} is not of the form key.sub=value "
                              "(for example train.total_steps=1000)")
        try:
            parsed[key.strip()] = yaml.safe_load(text)
        except yaml.YAMLError:
            raise ConfigError(f"override {item!r}: the value is not valid YAML; quote it") from None
    return parsed


def _check_keys(file: Path, overrides: dict[str, Any], axes: dict[str, list[Any]],
                also: list[dict[str, Any]]) -> None:
    varied = {*axes, *(key for condition in also for key in condition)}
    for key, what in SET_PER_RUN.items():
        if key in varied or (key in overrides and key != "run_dir"):
            raise ConfigError(f"{file}: {key!r} cannot be set in an experiment; it is set per run by {what}")
    if both := sorted(overrides.keys() & varied):
        raise ConfigError(f"{file}: {', '.join(both)} is both an override and varied by the axes or 'also'; "
                          "change the axis or 'also' values instead")


def _explain(file: Path, err: Any) -> str:
    loc = ".".join(str(part) for part in err["loc"])
    if err["type"] == "extra_forbidden":
        valid = list(ExperimentSpec.model_fields)
        return (f"{file}: unknown key {loc!r}{_did_you_mean(loc, valid)}; "
                f"valid keys of an experiment: {', '.join(valid)}")
    return f"{file}: {loc} = {err['input']!r}: {err['msg'].removeprefix('Value error, ')}"
