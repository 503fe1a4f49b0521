"""Reflexes: hard-wired arcs from the critter's senses to its actions, added to what the policy wants.

Newborn animals withdraw from a touch on the face, flee a dark shape that looms overhead (naive mice run from an
expanding disc; Yilmaz and Meister 2013) and stop at a drop they have never fallen from. Each arc here is a fixed
circuit: a cue in [0, 1] read from raw senses times a fixed response in action units, summed into the mean of
the policy's Gaussian (so the log-probability of a taken action is that of the shifted policy). Responses are
twice the action range, so a full cue overrides whatever the young policy wants; `reflex_gain` scales them all
and, with `reflex_fade_seconds`, fades them linearly to nothing over that much simulated life (the life clock
counts every world's steps, as a lifetime's does), the way many neonatal reflexes are outgrown.

The critter's actions, by index: 0 drive (-1 stands still, +1 full speed; it has no reverse), 1 turn (+1 full
left), 2 head pan, 3 head tilt. Its touch is (snout, body). Arcs (an arc whose sense the world leaves out is
absent):
- snout touch -> withdraw: stop and turn left (touch has no side to turn from).
- looming -> flee: full speed, turning away from the side the dark shape is on. The cue is the growth, since the
  previous step, of the dark share of the upper half of the eyes' image: that share is the per-world memory
  (agents/innate.py), fresh at a life's start as all dark, so that a first frame never looms.
- drop -> withdraw: stop and turn. From depth, when the eyes see it: the bottom rows, which on level ground see
  the floor a body length ahead, see far; this comes before the edge. From the vestibular organ: the
  accelerometer no longer feels gravity (free fall); this comes too late to save a fall from a height, but it
  is the reflex the body has without depth.
"""

import torch
from gymnasium import spaces

from agents.actor_critic import ActorCritic
from agents.config import PriorConfig
from agents.innate import InnateCircuit, Obs

ACTIONS = ("drive", "turn", "head pan", "head tilt")
DRIVE, TURN = 0, 1
TOUCH = ("snout", "body")
VESTIBULAR = 6  # gyro (3), then accelerometer (3)
RESPONSE = 2.0  # action units of a full cue: twice the action range

SNOUT_FULL = 0.5  # log(1 + newtons) at the snout for a full withdrawal; pressing a wall at half speed gives 0.8
DARK = 40  # of 255: a pixel darker than this (mean of RGB) is dark
LOOM_THRESHOLD, LOOM_FULL = 0.03, 0.08  # growth per step of the upper field's dark share: none below, full at
# and above; turning the head past walls and the nest moves the share by up to about 0.04 a step, a dive by 0.1
DEPTH_RANGE = 5.0  # metres at which the depth channel reads 255 (the world's renderer saturates there)
DROP_DEPTH = 0.3  # metres: the bottom rows see the floor within 0.15 m on level ground, past the brink farther
GRAVITY = 9.81
FREE_FALL = 0.5  # of gravity felt: less is falling, and a quarter or less is a full cue
MEMORY = "reflex_dark_share"


class Reflexes(InnateCircuit):
    memory_space = {MEMORY: spaces.Box(0.0, 1.0, (1,))}

    def __init__(self, cfg: PriorConfig):
        super().__init__()
        self.cfg = cfg
        self.register_buffer("steps_lived", torch.zeros((), dtype=torch.float64))

    @property
    def gain(self) -> torch.Tensor:
        """reflex_gain, faded by the life lived so far (a tensor: reading it never waits on the device)."""
        if self.cfg.reflex_fade_seconds is None:
            return torch.tensor(self.cfg.reflex_gain)
        life_seconds = self.steps_lived * self.cfg.step_seconds
        return self.cfg.reflex_gain * (1.0 - life_seconds / self.cfg.reflex_fade_seconds).clamp_min(0.0).float()

    def age(self, steps: int) -> None:
        self.steps_lived += steps

    def fresh_memory(self, obs: Obs) -> Obs:
        batch = next(iter(obs.values()))
        return {MEMORY: torch.ones(batch.shape[0], 1, device=batch.device)}

    def next_memory(self, raw_mean: torch.Tensor, latent: torch.Tensor, obs: Obs) -> Obs:
        if "vision" not in obs:
            return {MEMORY: obs[MEMORY]}
        return {MEMORY: dark_upper_field(obs["vision"])[0][:, None]}

    def forward(self, raw_mean: torch.Tensor, latent: torch.Tensor, obs: Obs) -> torch.Tensor:
        return raw_mean + self.gain * RESPONSE * self.responses(obs)

    def responses(self, obs: Obs) -> torch.Tensor:
        """Every arc's cue times its response, summed [B, 4], before the gain."""
        batch = next(iter(obs.values()))
        drive = torch.zeros(batch.shape[0], device=batch.device)
        turn = torch.zeros_like(drive)
        withdraw = torch.zeros_like(drive)
        if "touch" in obs:
            withdraw = torch.maximum(withdraw, (obs["touch"][:, 0] / SNOUT_FULL).clamp(0, 1))
        if "vestibular" in obs:
            felt = obs["vestibular"][:, 3:].norm(dim=-1) / GRAVITY
            withdraw = torch.maximum(withdraw, ((FREE_FALL - felt) / (FREE_FALL / 2)).clamp(0, 1))
        if "vision" in obs:
            vision = obs["vision"]
            if vision.shape[-1] == 4:
                bottom = vision[:, -max(1, vision.shape[1] // 8):, :, 3].float() * (DEPTH_RANGE / 255)
                withdraw = torch.maximum(withdraw, ((bottom > DROP_DEPTH).float().mean((1, 2)) * 2).clamp(0, 1))
            share, side = dark_upper_field(vision)
            loom = ((share - obs[MEMORY][:, 0] - LOOM_THRESHOLD) / (LOOM_FULL - LOOM_THRESHOLD)).clamp(0, 1)
            drive = drive + loom
            turn = turn + loom * torch.where(side >= 0, 1.0, -1.0)  # dark on the right: turn left
        drive = drive - withdraw
        turn = turn + withdraw
        return torch.stack([drive, turn, torch.zeros_like(drive), torch.zeros_like(drive)], dim=-1)


def dark_upper_field(vision: torch.Tensor) -> tuple[torch.Tensor, torch.Tensor]:
    """(share of dark pixels in the upper half of the image [B], where they are across it [B]: -1 all on the
    left edge, +1 all on the right, 0 centred or none) of images [B, H, W, C]."""
    upper = vision[:, :vision.shape[1] // 2, :, :3].float().mean(-1) < DARK  # [B, H/2, W]
    share = upper.float().mean((1, 2))
    columns = torch.linspace(-1.0, 1.0, vision.shape[2], device=vision.device)
    count = upper.sum((1, 2)).clamp_min(1)
    side = (upper.float().sum(1) * columns).sum(-1) / count
    return share, side


def reflex(agent: ActorCritic, cfg: PriorConfig) -> ActorCritic:
    """Wire the reflex arcs into the agent's policy; a body other than the critter is refused."""
    actions = agent.action_space.shape
    senses = agent.observation_space.spaces
    touch, vestibular = senses.get("touch"), senses.get("vestibular")
    if (actions != (len(ACTIONS),) or (touch is not None and touch.shape != (len(TOUCH),))
            or (vestibular is not None and vestibular.shape != (VESTIBULAR,))):
        raise ValueError(
            f"the reflex prior knows the critter: {len(ACTIONS)} actions ({', '.join(ACTIONS)}), touch at the "
            f"{' and '.join(TOUCH)}, a {VESTIBULAR}-channel vestibular organ; this body has {actions[0]} actions, "
            f"touch {None if touch is None else touch.shape}, vestibular "
            f"{None if vestibular is None else vestibular.shape}; use a critter world (Forage, Escape, Cliff, ...), "
            "or prior.name=blank"
        )
    agent.innate = Reflexes(cfg)
    return agent
