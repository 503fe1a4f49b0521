"""The catalogue of worlds: `make` builds one by name; each is also a Gymnasium id."""

from collections.abc import Callable
from dataclasses import dataclass

import gymnasium
import torch
from pydantic import ValidationError

from envs.config import WorldConfig
from envs.outside_world import PREFIX, OutsideWorld
from envs.world import World


@dataclass(frozen=True)
class WorldEntry:
    name: str
    description: str
    build: Callable[[WorldConfig, int, torch.device | str], World]
    task: str  # the behaviour its probe measures (forage, escape, cliff, imprint, locomotion)

    @property
    def gym_id(self) -> str:
        return f"embodied/{self.name}-v0"


_WORLDS: dict[str, WorldEntry] = {}


def register(name: str, description: str, build: Callable[[WorldConfig, int, torch.device | str], World],
             task: str):
    """Add a world to the catalogue and to Gymnasium (as a single numpy env)."""
    entry = WorldEntry(name, description, build, task)
    _WORLDS[name] = entry
    if entry.gym_id not in gymnasium.registry:
        gymnasium.register(id=entry.gym_id, entry_point="envs.gym_env:SingleWorldEnv",
                           kwargs={"world": name}, disable_env_checker=True)
    return entry


def names() -> list[str]:
    return sorted(_WORLDS)


def entries() -> list[WorldEntry]:
    return [_WORLDS[name] for name in names()]


def make(name: str, num_envs: int = 1, device: torch.device | str = "cpu", seed: int = 0,
         **options) -> World | OutsideWorld:
    """Build `num_envs` copies of a registered world, or of a Gymnasium environment named gym:<id> (see
    `envs.outside_world`); options are the fields of `WorldConfig`."""
    if name not in _WORLDS and not name.startswith(PREFIX):
        raise ValueError(f"unknown world {name!r}; registered worlds: {', '.join(names())}, or gym:<id> for a "
                         "Gymnasium environment")
    try:
        config = WorldConfig(name=name, num_envs=num_envs, **options)
    except ValidationError as error:
        valid = ", ".join(f for f in WorldConfig.model_fields if f not in ("name", "num_envs"))
        problems = "; ".join(f"{'.'.join(map(str, e['loc']))} = {e['input']!r}: {e['msg']}" for e in error.errors())
        raise ValueError(f"bad world options for {name!r}: {problems}; valid options: {valid}") from None
    if name.startswith(PREFIX):
        return OutsideWorld(name.removeprefix(PREFIX), num_envs, seed, device, module=config.import_)
    return _WORLDS[name].build(config, seed, device)
