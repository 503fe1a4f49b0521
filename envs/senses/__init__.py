"""Senses: one file per organ. Each adds receptors to a spec and reads them from the batched state."""

from envs.senses.proprioception import Proprioception
from envs.senses.sense import Sense, SensorSense
from envs.senses.touch import Touch
from envs.senses.vestibular import Vestibular
from envs.senses.vision import Vision

__all__ = ["Proprioception", "Sense", "SensorSense", "Touch", "Vestibular", "Vision"]
