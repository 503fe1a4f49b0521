"""Senses: one file per organ. Each adds receptors to a spec and reads them from the batched state."""

from envs.senses.hearing import BANDS, Hearing, Sounds
from envs.senses.proprioception import Proprioception
from envs.senses.sense import Sense, SensorSense
from envs.senses.smell import ODOURS, Odours, Smell
from envs.senses.touch import Touch
from envs.senses.vestibular import Vestibular
from envs.senses.vision import Vision

#: Every sense a body may offer, by the name configs and observations use.
SENSE_NAMES = tuple(sense.name for sense in (Vision, Touch, Proprioception, Vestibular, Smell, Hearing))

__all__ = ["BANDS", "Hearing", "ODOURS", "Odours", "Proprioception", "SENSE_NAMES", "Sense", "SensorSense", "Smell",
           "Sounds", "Touch", "Vestibular", "Vision"]
