"""World options: validated, so a typo in a config is an error that names the valid keys."""

from typing import Literal

from pydantic import BaseModel, ConfigDict, Field


class WorldConfig(BaseModel):
    """Which world to build and how; `envs.make(**cfg.make_kwargs())` builds it."""

    model_config = ConfigDict(extra="forbid")

    name: str = Field("Forage", description="registered world name (`embodied envs` lists them)")
    num_envs: int = Field(8, ge=1, description="worlds stepped in one batch")
    backend: Literal["mujoco"] = Field("mujoco", description="physics and rendering backend")
    vision_size: int = Field(
        40, ge=8, le=256, description="eye resolution in pixels (square); stable-baselines3's NatureCNN needs >= 36"
    )
    senses: tuple[str, ...] | None = Field(
        None, description="senses to switch on (e.g. [touch, proprioception]); null: every sense the body has"
    )
    episode_seconds: float = Field(30.0, gt=0, description="simulated seconds before an episode ends")
    num_food: int = Field(5, ge=1, description="food items in the pen at any time")
    arena_size: float = Field(3.0, gt=0.5, description="side of the square pen in metres")
    threads: int = Field(
        2, ge=0, description="threads that step and render a share of the worlds each; 0: one per core (then the "
        "last bit of some pixels depends on the machine, as each thread draws its own tiles)"
    )
