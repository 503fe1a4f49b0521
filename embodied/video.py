"""Videos: the world seen from outside beside what the agent's eye sees, as an MP4."""

from pathlib import Path

import imageio.v2 as imageio
import numpy as np
import torch
import torch.nn.functional as F

import envs
from embodied.config import RunConfig
from embodied.probes import Policy


def eye_panel(image: torch.Tensor, size: int) -> np.ndarray:
    """An eye image [H, W, 3] blown up (nearest pixel, so the agent's true resolution stays visible)."""
    chw = image.permute(2, 0, 1)[None].float()
    return F.interpolate(chw, size=(size, size), mode="nearest")[0].permute(1, 2, 0).byte().numpy()


@torch.no_grad()
def record_video(cfg: RunConfig, policy_for_world, path: Path, seconds: float | None = None) -> Path:
    """Run a policy in one held-out world and write third-person | eye frames to `path` (MP4).

    `policy_for_world(world) -> Policy` builds the policy once the world exists (the scripted
    reference needs the world itself).
    """
    options = cfg.world.model_dump(exclude={"name", "num_envs"})
    world = envs.make(cfg.world.name, num_envs=1, seed=cfg.eval.seed, **options)
    policy: Policy = policy_for_world(world)
    seconds = seconds or cfg.video.seconds
    every = max(1, round(1.0 / (cfg.video.fps * world.dt)))
    size = cfg.video.size
    path.parent.mkdir(parents=True, exist_ok=True)
    observation, _ = world.reset(seed=cfg.eval.seed)
    try:
        with imageio.get_writer(path, fps=cfg.video.fps, codec="libx264", quality=7,
                                macro_block_size=1, ffmpeg_log_level="error") as writer:
            for step in range(max(1, round(seconds / world.dt))):
                if step % every == 0:
                    views = [world.render_overview(0, size)]
                    if "vision" in observation:
                        views.append(eye_panel(observation["vision"][0], size))
                    writer.append_data(np.concatenate(views, axis=1))
                observation, *_ = world.step(policy(observation))
    finally:
        world.close()
    return path
