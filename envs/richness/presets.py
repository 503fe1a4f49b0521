"""The richness ladder: named presets from an impoverished world to a rich one.

Each rung adds a factor, so learning speed and generalisation can be measured against how much the world
varies; any factor can be ablated from any preset (`WorldConfig.ablate`), and `WorldConfig.senses` overrides
a preset's senses.
"""

from dataclasses import dataclass

from envs.richness.appearance import Appearance
from envs.richness.distractors import Distractors
from envs.richness.lighting import Lighting
from envs.richness.noise import Noise
from envs.richness.viewpoint import Viewpoint

FACTORS = {factor.name: factor for factor in (Viewpoint, Lighting, Appearance, Distractors, Noise)}


@dataclass(frozen=True)
class Preset:
    factors: tuple[str, ...]
    senses: tuple[str, ...] | None  # None: every sense the body has
    description: str


PRESETS = {
    "impoverished": Preset((), ("vision",), "vision only; one fixed view and light, fixed sizes, a static world"),
    "multisensory": Preset((), None, "every sense the body has; nothing varies (the foundation's world)"),
    "viewpoint": Preset(("viewpoint",), None, "+ the eyes' mount, field of view and head jitter vary"),
    "lighting": Preset(("viewpoint", "lighting"), None, "+ the light's direction, brightness and colour, drifting"),
    "appearance": Preset(("viewpoint", "lighting", "appearance"), None, "+ objects' sizes and colours, floor patterns"),
    "rich": Preset(tuple(FACTORS), None, "every factor and every sense: + moving distractors and sensory noise"),
}


def preset_factors(preset: str, ablate: tuple[str, ...] = ()) -> tuple[str, ...]:
    """The factors of `preset` less the ablated ones; ablating a factor the preset lacks is an error."""
    if preset not in PRESETS:
        raise ValueError(f"unknown richness preset {preset!r}; presets: {', '.join(PRESETS)}")
    factors = PRESETS[preset].factors
    absent = [name for name in ablate if name not in factors]
    if absent:
        raise ValueError(f"cannot ablate {absent} from the {preset!r} preset, whose factors are: "
                         f"{', '.join(factors) or 'none'}")
    return tuple(name for name in factors if name not in ablate)
