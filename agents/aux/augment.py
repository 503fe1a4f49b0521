"""Random shifts of the images an auxiliary loss encodes (DrQ: pad by repeating the edge, crop at random).

A shift of a few pixels leaves what is in view unchanged, so a loss that must still be met on shifted images
teaches the eye what is there rather than where exactly on the retina it fell. It is applied only inside the
auxiliary losses that encode images (reconstruction, forward model, inverse dynamics, cross-modal, temporal
contrast), never to the PPO loss, which keeps the images the policy acted on.
"""

from dataclasses import replace

import torch

from agents.actor_critic import ActorCritic, Obs
from agents.aux.base import Transitions


def random_shift(images: torch.Tensor, pad: int) -> torch.Tensor:
    """HWC images [B, H, W, C] (any dtype), each moved by its own whole-pixel shift of up to `pad` along each
    axis. Repeating the edge then cropping equals reading each pixel from its shifted place, clamped to the
    image, which needs no float copy of the batch."""
    if pad == 0:
        return images
    b, h, w = images.shape[:3]
    shift = torch.randint(-pad, pad + 1, (b, 2, 1), device=images.device)
    rows = (torch.arange(h, device=images.device) + shift[:, 0]).clamp(0, h - 1)  # [B, H]
    cols = (torch.arange(w, device=images.device) + shift[:, 1]).clamp(0, w - 1)  # [B, W]
    batch = torch.arange(b, device=images.device)[:, None, None]
    return images[batch, rows[:, :, None], cols[:, None, :]]


def image_senses(agent: ActorCritic) -> list[str]:
    return [name for name, space in agent.observation_space.spaces.items() if len(space.shape) == 3]


def shift_images(agent: ActorCritic, obs: Obs, pad: int) -> Obs:
    """`obs` with each of the agent's image senses randomly shifted (see random_shift); other senses as given."""
    return obs | {name: random_shift(obs[name], pad) for name in image_senses(agent)}


def augmented(agent: ActorCritic, batch: Transitions, pad: int) -> Transitions:
    """`batch` with obs and next obs shifted independently and the latent of the shifted obs (with gradient);
    `batch` itself when pad is 0 or the agent has no eyes."""
    if pad == 0 or not image_senses(agent):
        return batch
    obs = shift_images(agent, batch.obs, pad)
    next_obs = shift_images(agent, batch.next_obs, pad)
    return replace(batch, obs=obs, next_obs=next_obs, latent=agent.latent(obs))
