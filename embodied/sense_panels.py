"""Panels for videos that show what every sense reads: each eye as the agent sees it (depth in grey), and
each vector sense (touch, smell, hearing, proprioception, vestibular) as a bar chart.

Bars are drawn into a background that matplotlib renders once (titles, labels, axes), so a frame costs a
few array writes. Each sense's bars are scaled by the largest magnitude it has read so far in the video,
so quiet senses stay visible.
"""

import numpy as np
import torch
import torch.nn.functional as F
from matplotlib.backends.backend_agg import FigureCanvasAgg
from matplotlib.figure import Figure

BAR = (60, 110, 200)
# Words of sensor names shortened so that a body with many joints still gets one readable label per bar.
ABBREVIATIONS = (("body_velocity", "v"), ("front_left", "FL"), ("front_right", "FR"), ("hind_left", "HL"),
                 ("hind_right", "HR"), ("_pos", ""), ("_vel", " v"), ("_foot", ""), ("body_touch", "body"),
                 ("accelerometer", "acc"), ("head_", ""), ("_", " "))
CHARACTERS_PER_PIXEL = 0.35  # at the labels' font size: a label longer than its bar's width is staggered


def short_labels(labels: list[str], width: float) -> list[str]:
    """Abbreviated labels; when they would overlap in `width` pixels, every other one drops a line."""
    for long, short in ABBREVIATIONS:
        labels = [label.replace(long, short) for label in labels]
    crowded = max(map(len, labels)) > CHARACTERS_PER_PIXEL * width / len(labels)
    return [("\n" if crowded and index % 2 else "") + label for index, label in enumerate(labels)]


def eye_panels(image: torch.Tensor, size: int) -> list[np.ndarray]:
    """An eyes image [H, W, 3 or 4] blown up to height `size` (nearest pixel, so the agent's true resolution
    stays visible): the RGB view, and the depth channel as a grey view when there is one."""
    chw = image.permute(2, 0, 1)[None].float()
    width = round(size * image.shape[1] / image.shape[0])
    big = F.interpolate(chw, size=(size, width), mode="nearest")[0].permute(1, 2, 0).byte().cpu().numpy()
    panels = [big[..., :3]]
    if image.shape[2] == 4:
        panels.append(np.repeat(big[..., 3:], 3, axis=2))
    return panels


class VectorPanel:
    """Bar charts of the vector senses of a world, one row per sense, `size` pixels high and 1.5 times as wide."""

    def __init__(self, senses: list, size: int):
        self.senses = senses
        figure = Figure(figsize=(1.5 * size / 100, size / 100), dpi=100, layout="constrained")
        figure.get_layout_engine().set(w_pad=0.02, h_pad=0.01, hspace=0.0)
        canvas = FigureCanvasAgg(figure)
        axes = figure.subplots(len(senses), 1, squeeze=False)[:, 0]
        for ax, sense in zip(axes, senses, strict=True):
            labels = short_labels(sense.labels(), 1.3 * size)
            ax.set_xlim(-0.5, len(labels) - 0.5)
            ax.set_ylim(-1, 1)
            ax.axhline(0, color="0.6", linewidth=0.5)
            ax.set_xticks(range(len(labels)), labels, fontsize=4)
            ax.set_yticks([])
            ax.set_ylabel(sense.name, fontsize=5, rotation=0, ha="right", va="center")
            ax.tick_params(length=0, pad=1)
        canvas.draw()
        self.background = np.asarray(canvas.buffer_rgba())[..., :3].copy()
        height = self.background.shape[0]
        # Each axes' pixel box (matplotlib counts rows from the bottom).
        self.boxes = [(height - box.y1, height - box.y0, box.x0, box.x1)
                      for box in (ax.get_window_extent() for ax in axes)]
        self.scale = [1e-6] * len(senses)

    def draw(self, observation: dict[str, torch.Tensor]) -> np.ndarray:
        frame = self.background.copy()
        for index, (sense, (top, bottom, left, right)) in enumerate(zip(self.senses, self.boxes, strict=True)):
            values = observation[sense.name][0].float().cpu().numpy()
            self.scale[index] = max(self.scale[index], float(np.abs(values).max()))
            values = values / self.scale[index]
            width = (right - left) / len(values)
            middle = (top + bottom) / 2
            for position, value in enumerate(values):
                end = middle - value * (bottom - top) / 2
                rows = slice(int(round(min(middle, end))), int(round(max(middle, end))))
                columns = slice(int(left + (position + 0.1) * width), int(left + (position + 0.9) * width))
                frame[rows, columns] = BAR
        return frame


def sense_panels(world, size: int):
    """A function from an observation to the list of panels [size, ., 3] of every sense that is on in `world`."""
    vectors = [sense for sense in world.senses if len(world.single_observation_space[sense.name].shape) == 1]
    chart = VectorPanel(vectors, size) if vectors else None
    images = [name for name, space in world.single_observation_space.items() if len(space.shape) == 3]

    def draw(observation: dict[str, torch.Tensor]) -> list[np.ndarray]:
        panels = [panel for name in images for panel in eye_panels(observation[name][0], size)]
        return panels + ([chart.draw(observation)] if chart else [])

    return draw
