"""The worlds: bodies, arenas, senses, tasks and backends, composed and registered by name.

`envs.make("Forage", num_envs=8)` builds a batched, torch-native world; `gymnasium.make("embodied/Forage-v0")`
a single numpy one.
"""

import os

# Headless rendering by default; MuJoCo reads this once, when it is first imported.
os.environ.setdefault("MUJOCO_GL", "egl")
# Mesa's software renderer rasterises in threads of its own; our workers already render a share of the worlds
# each, and on small eyes the hand-offs to those threads cost more CPU than they save (about a third of a
# render). 0 rasterises in the calling thread. Mesa reads it when it first starts; GPU drivers ignore it.
os.environ.setdefault("LP_NUM_THREADS", "0")

from envs import catalogue  # noqa: E402, F401  (registers the worlds)
from envs.config import WorldConfig  # noqa: E402
from envs.registry import entries, make, names, register  # noqa: E402
from envs.world import World  # noqa: E402

__all__ = ["World", "WorldConfig", "entries", "make", "names", "register"]
