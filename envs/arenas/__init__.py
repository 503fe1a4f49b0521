"""Arenas: the ground, walls, light and the overview camera of a world. A new arena is one new file."""

from envs.arenas.pen import Pen
from envs.arenas.platform import Platform

__all__ = ["Pen", "Platform"]
