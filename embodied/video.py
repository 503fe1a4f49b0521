"""Videos: the world seen from outside beside what the agent senses (its eyes, and bar charts of its other
senses), as an MP4."""

from pathlib import Path

import imageio.v2 as imageio
import numpy as np
import torch

import envs
from embodied.config import RunConfig
from embodied.device import resolve_device
from embodied.probes import Policy
from embodied.sense_panels import sense_panels


@torch.no_grad()
def record_video(cfg: RunConfig, policy_for_world, path: Path, seconds: float | None = None) -> Path:
    """Run a policy in one held-out world and write third-person | eyes | senses frames to `path` (MP4).

    `policy_for_world(world) -> Policy` builds the policy once the world exists (the scripted
    reference needs the world itself).
    """
    options = cfg.world.model_dump(exclude={"name", "num_envs"})
    world = envs.make(cfg.world.name, num_envs=1, seed=cfg.eval.seed, device=resolve_device(cfg.device), **options)
    policy: Policy = policy_for_world(world)
    seconds = seconds or cfg.video.seconds
    every = max(1, round(1.0 / (cfg.video.fps * world.dt)))
    size = cfg.video.size
    path.parent.mkdir(parents=True, exist_ok=True)
    panels = sense_panels(world, size)
    observation, _ = world.reset(seed=cfg.eval.seed)
    try:
        with imageio.get_writer(path, fps=cfg.video.fps, codec="libx264", quality=7,
                                macro_block_size=1, ffmpeg_log_level="error") as writer:
            for step in range(max(1, round(seconds / world.dt))):
                if step % every == 0:
                    views = [world.render_overview(0, size), *panels(observation)]
                    writer.append_data(np.concatenate(views, axis=1))
                observation, *_ = world.step(policy(observation))
    finally:
        world.close()
    return path
