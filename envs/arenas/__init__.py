"""Arenas: the ground, walls, light and the overview camera of a world. A new arena is one new file."""

from envs.arenas.cliff_table import CliffTable
from envs.arenas.pen import Pen
from envs.arenas.platform import Platform
from envs.arenas.terrain import Terrain

__all__ = ["CliffTable", "Pen", "Platform", "Terrain"]
