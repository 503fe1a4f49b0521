"""Richness: named factors by which worlds vary (viewpoint, lighting, appearance, distractors, noise), each
with a training range and a disjoint held-out range, and the ladder of presets built from them."""

from envs.richness.factor import Factor, Parts, Span
from envs.richness.presets import FACTORS, PRESETS, Preset, preset_factors
from envs.richness.richness import Richness

__all__ = ["FACTORS", "PRESETS", "Factor", "Parts", "Preset", "Richness", "Span", "preset_factors"]
