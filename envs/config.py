"""World options: validated, so a typo in a config is an error that names the valid keys."""

import importlib.util
from typing import Literal

from pydantic import BaseModel, ConfigDict, Field, model_validator

from envs.bodies.eyes import EYE_LAYOUTS
from envs.richness import FACTORS, PRESETS, Richness, preset_factors
from envs.senses import SENSE_NAMES


class WorldConfig(BaseModel):
    """Which world to build and how; `envs.make(**cfg.make_kwargs())` builds it."""

    model_config = ConfigDict(extra="forbid", populate_by_name=True)

    name: str = Field("Forage", description="registered world name (`embodied envs` lists them), or gym:<id> for any "
                      "Gymnasium environment (see envs/outside_world.py; the options below but num_envs are ours)")
    import_: str | None = Field(None, alias="import", description="a module to import first: one that registers the "
                                "gym:<id> of an outside world")
    # A newborn forager eats 0 to 1.5 food a minute, so a rollout of 8 worlds x 64 steps (26 s of life) held a
    # meal in fewer than half of the updates, which then learned from normalised advantages that were the critic's
    # noise at full scale; 32 worlds (1.7 minutes of life a rollout) hold one or two. At 8 worlds 4 of the default
    # experiment's 6 Forage runs still ate at most 2.6 food a minute after 80k steps; at 32, seeds 0-3 ate 7.9 to
    # 12.7 by then, and all 10 runs of the default experiment became competent within 300k steps.
    num_envs: int = Field(32, ge=1, description="worlds stepped in one batch; each rollout has num_envs x "
                          "ppo.rollout_steps steps")
    backend: Literal["mujoco", "warp"] = Field(
        "mujoco", description="physics and rendering: mujoco (CPU, in threads) or warp (mujoco_warp on the run's "
        "device, a GPU; needs pip install -e '.[gpu]')")
    vision_size: int = Field(
        40, ge=8, le=256, description="eye resolution in pixels (square); stable-baselines3's NatureCNN needs >= 36"
    )
    eyes: Literal[tuple(EYE_LAYOUTS)] = Field(
        "one", description="eye layout: one, binocular (two frontal eyes) or lateral (two side eyes, as a chick's)"
    )
    depth: bool = Field(False, description="the eyes also see distance, as a fourth image channel")
    senses: tuple[Literal[SENSE_NAMES], ...] | None = Field(
        None, description="senses to switch on (e.g. [touch, proprioception]); null: the richness preset's"
    )
    richness: Literal[tuple(PRESETS)] = Field(
        "multisensory", description="rung of the richness ladder: " + "; ".join(
            f"{name}: {preset.description}" for name, preset in PRESETS.items())
    )
    ablate: tuple[Literal[tuple(FACTORS)], ...] = Field((), description="factors of the preset to switch off")
    held_out: bool = Field(
        False, description="draw the factors from their held-out ranges (evaluation worlds do; training never)"
    )
    episode_seconds: float = Field(30.0, gt=0, description="simulated seconds before an episode ends")
    num_food: int = Field(5, ge=1, description="food items in the pen at any time")
    arena_size: float = Field(
        3.0, gt=0.5, description="side of the square pen in metres (Graze: of the patch of food around the snout)"
    )
    threads: int = Field(
        1, ge=0, description="threads that step and render a share of the worlds each; 0: one per core (then the "
        "last bit of some pixels depends on the machine, as each thread draws its own tiles). On a software "
        "renderer (Mesa) one draws as fast as several, which wait on each other, so more pay only for heavy physics"
    )

    @model_validator(mode="after")
    def _ablated_factors_are_in_the_preset(self):
        preset_factors(self.richness, self.ablate)
        return self

    @model_validator(mode="after")
    def _the_backend_is_installed(self):
        if self.backend == "warp" and importlib.util.find_spec("mujoco_warp") is None:
            raise ValueError("backend 'warp' needs mujoco_warp, which is not installed: pip install -e '.[gpu]'")
        return self

    def on_cpu(self) -> "WorldConfig":
        """This world on the CPU backend: the same senses, actions and timestep, without starting a device backend
        (for checks that need only its shape)."""
        return self.model_copy(update={"backend": "mujoco"})

    def world_richness(self) -> Richness:
        """The factors this world varies, from the preset less the ablated ones."""
        return Richness(preset_factors(self.richness, self.ablate), held_out=self.held_out)

    def world_senses(self) -> tuple[str, ...] | None:
        """The senses to switch on: as set, else the preset's (None: every sense the body has)."""
        return self.senses if self.senses is not None else PRESETS[self.richness].senses
