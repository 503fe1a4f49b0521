"""The worlds: bodies, arenas, senses, tasks and backends, composed and registered by name.

`envs.make("Forage", num_envs=8)` builds a batched, torch-native world; `gymnasium.make("embodied/Forage-v0")`
a single numpy one.
"""

import os

# Headless rendering by default; MuJoCo reads this once, when it is first imported.
os.environ.setdefault("MUJOCO_GL", "egl")

from envs import catalogue  # noqa: E402, F401  (registers the worlds)
from envs.config import WorldConfig  # noqa: E402
from envs.registry import entries, make, names, register  # noqa: E402
from envs.world import World  # noqa: E402

__all__ = ["World", "WorldConfig", "entries", "make", "names", "register"]
