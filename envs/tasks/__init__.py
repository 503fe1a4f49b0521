"""Tasks: what the animal is for in a world (reward, end of life, probe signals, scripted reference)."""

from envs.tasks.cliff import Cliff
from envs.tasks.escape import Escape
from envs.tasks.forage import Forage
from envs.tasks.graze import Graze
from envs.tasks.imprint import Imprint
from envs.tasks.locomotion import Locomotion
from envs.tasks.task import Task
from envs.tasks.visual_cliff import VisualCliff

__all__ = ["Cliff", "Escape", "Forage", "Graze", "Imprint", "Locomotion", "Task", "VisualCliff"]
