"""The run's options as one validated tree: a typo or a wrong type stops the run before any work starts,
with a message that names the key and the fix."""

import difflib
from collections.abc import Collection, Iterable, Sequence
from pathlib import Path
from typing import Any, Literal, get_args

import yaml
from pydantic import BaseModel, ConfigDict, Field, ValidationError

from agents.config import AgentConfig, AuxConfig, PPOConfig, PriorConfig
from agents.evolution import ESConfig
from envs.config import WorldConfig
from envs.outside_world import PREFIX


class _Section(BaseModel):
    model_config = ConfigDict(extra="forbid")


class TrainConfig(_Section):
    """How long a life lasts and how often it is examined and saved."""

    total_steps: int = Field(300_000, ge=1, description="env steps summed over worlds")
    eval_every: int = Field(10_000, ge=1, description="env steps between probe evaluations")
    checkpoint_every: int = Field(20_000, ge=1, description="env steps between checkpoints")


class EvalConfig(_Section):
    """Probes on held-out worlds and the competence criterion judged on them."""

    num_envs: int = Field(8, ge=1, description="evaluation worlds stepped in one batch")
    seconds: float = Field(20.0, gt=0, description="simulated seconds per evaluation episode")
    seed: int = Field(1_000_000, ge=0, description="base seed of held-out worlds; never used in training")
    deterministic: bool = Field(
        False, description="act with the policy's mean action; false: sample actions, as the animal does in life"
    )
    competence: float = Field(0.5, gt=0, description="fraction of the scripted reference's probe score")
    hold: int = Field(3, ge=1, description="consecutive evaluations the criterion must hold (K)")


class VideoConfig(_Section):
    """The third-person video people watch to see what the agent does."""

    seconds: float = Field(20.0, gt=0, description="simulated seconds recorded")
    fps: int = Field(20, ge=1, description="frames per second of the video file")
    size: int = Field(256, ge=16, description="third-person view in pixels (square)")


class AncestryConfig(_Section):
    """The ancestral phase (`embodied ancestry`): an ancestor learns in worlds other than the newborn's and
    leaves an inheritance artifact that a prior (`prior.artifact`) passes on at birth."""

    method: Literal["ppo", "es"] = Field(
        "ppo", description="how ancestors learn: ppo (gradient pre-training) or es (evolution strategies, see `es`)"
    )
    worlds: tuple[dict[str, Any], ...] = Field(
        ({},), min_length=1, description="ancestral worlds, each a change to `world` (e.g. {richness: lighting}, "
        "{name: Cliff}); the body and senses stay the newborn's"
    )
    seeds: tuple[int, ...] = Field(
        (1, 2, 3), min_length=1, description="seeds of the ancestral worlds; never the run's seed or eval.seed"
    )
    steps: int = Field(300_000, ge=1, description="env steps of the whole ancestry, summed over its worlds")
    switch_every: int | None = Field(
        None, ge=1, description="env steps in one world and seed before the next; null: one pass, an equal share each"
    )
    artifact: str | None = Field(None, description="where to write the artifact; null: the ancestry's run folder")
    es: ESConfig = Field(default_factory=ESConfig, description="method es: population, sigma, generations, ...")


class RunConfig(_Section):
    """Everything one run needs; `RunConfig()` is the default run."""

    seed: int = Field(0, ge=0, description="seed of the training worlds and the newborn's weights")
    device: str = Field("auto", pattern=r"^(auto|cpu|cuda(:\d+)?)$", description="auto | cpu | cuda | cuda:N")
    run_dir: str = Field("runs", description="folder that holds the run folders")
    name: str | None = Field(None, description="run folder name; default: world name, start time and seed")
    world: WorldConfig = Field(default_factory=WorldConfig)
    agent: AgentConfig = Field(default_factory=AgentConfig)
    prior: PriorConfig = Field(default_factory=PriorConfig)
    ppo: PPOConfig = Field(default_factory=PPOConfig)
    aux: AuxConfig = Field(default_factory=AuxConfig)
    train: TrainConfig = Field(default_factory=TrainConfig)
    eval: EvalConfig = Field(default_factory=EvalConfig)
    video: VideoConfig = Field(default_factory=VideoConfig)
    ancestry: AncestryConfig = Field(default_factory=AncestryConfig)


class ConfigError(Exception):
    """A config that cannot run; the message says what is wrong and how to fix it."""


def load_config(
    path: str | Path | None,
    overrides: Sequence[str] = (),
    world_names: Collection[str] | None = None,
) -> RunConfig:
    """Read the YAML file at `path` (if any), apply `key.sub=value` overrides, and validate.

    `world_names` are the registered worlds; the caller passes them so that config stays free of envs.
    """
    data = _read_yaml(Path(path)) if path is not None else {}
    for item in overrides:
        apply_override(data, item)
    try:
        cfg = RunConfig.model_validate(data)
    except ValidationError as e:
        raise ConfigError("\n".join(_explain(err) for err in e.errors())) from None
    if world_names is not None and cfg.world.name not in world_names and not cfg.world.name.startswith(PREFIX):
        names = sorted(world_names)
        raise ConfigError(f"unknown world {cfg.world.name!r}{_did_you_mean(cfg.world.name, names)}; "
                          f"valid worlds: {', '.join(names)}, or {PREFIX}<id> for a Gymnasium environment")
    return cfg


def dump_config(cfg: RunConfig) -> str:
    """The config as YAML that `load_config` reads back to an equal config."""
    return yaml.safe_dump(cfg.model_dump(mode="json"), sort_keys=False)


def _read_yaml(path: Path) -> dict[str, Any]:
    try:
        text = path.read_text()
    except FileNotFoundError:
        raise ConfigError(f"config file not found: {path}; check the path (configs/ has examples)") from None
    except OSError as e:
        raise ConfigError(f"cannot read config file {path}: {e.strerror}") from None
    try:
        data = yaml.safe_load(text)
    except yaml.MarkedYAMLError as e:
        marked = ((e.context, e.context_mark), (e.problem, e.problem_mark))
        where = "; ".join(f"{text} at line {mark.line + 1}" for text, mark in marked if text and mark)
        raise ConfigError(f"malformed YAML in {path}: {where}; fix the syntax there") from None
    if data is None:
        return {}
    if not isinstance(data, dict):
        raise ConfigError(f"{path}: the top level must be a mapping of keys (like 'ppo:'), "
                          f"not a {type(data).__name__}")
    return data


def apply_override(data: dict[str, Any], item: str) -> None:
    """Set the value of a `key.sub=value` item (read as YAML) in the nested mapping `data`."""
    key, sep, text = item.partition("=")
    if not sep or not key.strip():
        raise ConfigError(f"override {item!r} is not of the form key.sub=value "
                          "(for example ppo.learning_rate=1e-3)")
    *sections, leaf = key.strip().split(".")
    node = data
    for i, part in enumerate(sections):
        node = node.setdefault(part, {})
        if not isinstance(node, dict):
            raise ConfigError(f"override {item!r}: {'.'.join(sections[: i + 1])!r} is a value, not a section")
    try:
        node[leaf] = yaml.safe_load(text)
    except yaml.YAMLError:
        raise ConfigError(f"override {item!r}: the value is not valid YAML; quote it, "
                          f"e.g. {key}='\"{text}\"'") from None


def _explain(err: Any) -> str:
    """One pydantic error as a sentence that names the key and what would be accepted."""
    loc = tuple(str(part) for part in err["loc"])
    key = ".".join(loc)
    if err["type"] == "extra_forbidden":
        section = ".".join(loc[:-1])
        valid = list(_declared(loc[:-1])[0].model_fields)
        where = f"under {section!r}" if section else "at the top level"
        return (f"unknown key {key!r}{_did_you_mean(loc[-1], valid, section)}; "
                f"valid keys {where}: {', '.join(valid)}")
    declared, description = _declared(loc)
    expected = _type_name(declared) + (f": {description}" if description else "")
    return f"{key} = {err['input']!r}: {err['msg']} (expected {expected})"


def _declared(loc: tuple[str, ...]) -> tuple[Any, str | None]:
    """The declared type and description at `loc`, or at the innermost declared field on the way there."""
    node: Any = RunConfig
    description = None
    for part in loc:
        if not (isinstance(node, type) and issubclass(node, BaseModel) and part in node.model_fields):
            break
        field = node.model_fields[part]
        node, description = field.annotation, field.description
    return node, description


def _type_name(t: Any) -> str:
    return t.__name__ if isinstance(t, type) and not get_args(t) else str(t).replace("typing.", "")


def _did_you_mean(word: str, valid: Iterable[str], section: str = "") -> str:
    close = difflib.get_close_matches(word, list(valid), n=1)
    return f" (did you mean {'.'.join(filter(None, (section, close[0])))!r}?)" if close else ""
