"""Bodies: a creature and its sense organs, added to a world spec. A new body is one new file."""

from envs.bodies.critter import Critter
from envs.bodies.quadruped import Quadruped

__all__ = ["Critter", "Quadruped"]
