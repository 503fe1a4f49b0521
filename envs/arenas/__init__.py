"""Arenas: the ground, walls, light and the overview camera of a world. A new arena is one new file."""

from envs.arenas.pen import Pen

__all__ = ["Pen"]
