"""Object appearance: the size and colour of the task's objects and the pattern of the floor.

Food that is bigger, paler or on another ground is still food; an animal that has seen its food in many
guises recognises it in a new one. The task's logic reads the sizes drawn here (e.g. forage's reach), so a
bigger item is really bigger, not only drawn bigger.
"""

import math

import mujoco
import torch

from envs.constants import constant
from envs.richness.factor import Factor, Parts, Span

SIZE = Span(train=(0.8, 1.2), held_out=(1.3, 1.5))  # of each object's own size
HUE = Span(train=(0.0, 20.0), held_out=(30.0, 45.0), symmetric=True)  # degrees around the colour wheel
VALUE = Span(train=(0.85, 1.0), held_out=(0.65, 0.8))  # brightness of the object's colour
# Floor patterns (checker colours and tiles per metre, relative to the arena's own): the first few are for
# training, the rest only ever seen in held-out evaluation worlds.
PATTERNS = (((0.45, 0.5, 0.45), (0.38, 0.42, 0.38), 1.0), ((0.55, 0.5, 0.4), (0.45, 0.4, 0.32), 0.5),
            ((0.4, 0.45, 0.55), (0.32, 0.36, 0.45), 1.5), ((0.5, 0.42, 0.5), (0.4, 0.33, 0.4), 0.75))
HELD_OUT_PATTERNS = (((0.6, 0.6, 0.6), (0.3, 0.3, 0.3), 2.0), ((0.45, 0.55, 0.35), (0.55, 0.45, 0.3), 0.35))


def hue_rotation(degrees: torch.Tensor) -> torch.Tensor:
    """Matrices [n, 3, 3] turning RGB colours about the grey axis: a hue shift that keeps brightness."""
    angle = torch.deg2rad(degrees)
    cos, sin = torch.cos(angle)[:, None, None], torch.sin(angle)[:, None, None]
    third, turn = 1 / 3, 1 / math.sqrt(3)
    grey = constant(((third,) * 3,) * 3, torch.float64, degrees.device)
    cross = constant(((0, -turn, turn), (turn, 0, -turn), (-turn, turn, 0)), torch.float64, degrees.device)
    centred = constant(((1 - third, -third, -third), (-third, 1 - third, -third), (-third, -third, 1 - third)),
                       torch.float64, degrees.device)
    return cos * centred + sin * cross + grey


class Appearance(Factor):
    name = "appearance"

    def build(self, spec, parts: Parts) -> None:
        self.objects = parts.task.objects()
        floor = spec.geom("floor")
        self.has_floor = floor is not None
        if not self.has_floor:
            return
        repeat = spec.material(floor.material).texrepeat if floor.material else [1.0, 1.0]
        patterns = HELD_OUT_PATTERNS if self.held_out else PATTERNS
        for index, (light, dark, scale) in enumerate(patterns):
            name = f"richness/floor{index}"
            spec.add_texture(name=name, type=mujoco.mjtTexture.mjTEXTURE_2D,
                             builtin=mujoco.mjtBuiltin.mjBUILTIN_CHECKER, width=64, height=64, rgb1=list(light),
                             rgb2=list(dark))
            material = spec.add_material(name=name, texrepeat=[r * scale for r in repeat])
            material.textures[mujoco.mjtTextureRole.mjTEXROLE_RGB] = name
        self.patterns = [f"richness/floor{index}" for index in range(len(patterns))]

    def bind(self, model) -> None:
        geoms = [model.geom(name).id for name in self.objects]
        self.geoms = torch.as_tensor(geoms, dtype=torch.long)
        self.size = torch.as_tensor(model.geom_size[geoms], dtype=torch.float64)  # [K, 3]
        self.rgba = torch.as_tensor(model.geom_rgba[geoms], dtype=torch.float64)  # [K, 4]
        if self.has_floor:
            self.floor = torch.as_tensor([model.geom("floor").id])
            self.materials = torch.as_tensor([model.material(name).id for name in self.patterns])

    def reset(self, backend, mask, generator) -> None:
        n, objects = backend.num_envs, len(self.geoms)
        if objects:
            scale = SIZE.sample((n, objects, 1), generator, self.held_out)
            backend.set_model_field("geom_size", mask, self.geoms, self.size * scale)
            turn = hue_rotation(HUE.sample((n * objects,), generator, self.held_out)).view(n, objects, 3, 3)
            value = VALUE.sample((n, objects, 1), generator, self.held_out)
            rgb = (torch.einsum("nkij,kj->nki", turn, self.rgba[:, :3]) * value).clamp(0, 1)
            backend.set_model_field("geom_rgba", mask, self.geoms, torch.cat([rgb, self.rgba[None, :, 3:]
                                                                               .expand(n, -1, -1)], dim=-1))
        if self.has_floor:
            choice = torch.randint(len(self.materials), (n, 1), generator=generator, device=generator.device)
            backend.set_model_field("geom_matid", mask, self.floor, self.materials[choice])

