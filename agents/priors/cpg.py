"""Central pattern generators: coupled oscillators that walk the quadruped, which the policy only modulates.

Animals are born with spinal circuits that produce the rhythm of walking without the brain (the cat's
isolated spinal cord steps on a treadmill); the brain sets their pace and steers. Here one phase oscillator per
leg (LEGS order: front left, front right, hind left, hind right) runs at a stride frequency, and all-to-all
coupling pulls each towards the trot: diagonal legs in phase, the two diagonal pairs half a cycle apart
(dphi_i/dt = f + K / 2pi * sum_j sin 2pi(phi_j - phi_i - target_ji), phases in cycles). Each leg's phase becomes
its hip and knee actions as in the scripted trot of the Walk world: a swinging foot lifts and swings forward, a
standing foot pushes back at an even pace. Vestibulo-spinal reflexes keep the trot upright: the head's gyro
feels the body roll, and each side's knees act against the roll's rate (without it the plain trot topples); and
the knees on the side the body leans to straighten, against the lean that the head senses (the gyro's roll,
integrated, kept from drifting by the accelerometer's sideways share of gravity), as the scripted trot's do against
the true lean. With the rate reflex alone the newborn's trot fell about every 13 s in Graze; with both, every 2 to
8 minutes. The sensed lean follows the accelerometer closely (a fifth of a second), so it carries the head's
sideways sway as much as gravity's share: on a steady trot it is off the true lean by 0.1 rad, more than the lean
itself, yet acting against both steadies the trot best; a longer memory (1 to 2 s) tracks the lean better but
lags it, and falls come back.

Design. The actor's Gaussian stays over the body's 8 joint actions, so the learner, the world, auxiliary losses
and videos see the same actions as for a blank agent. The circuit sets the Gaussian's mean: oscillator output
plus the actor's own outputs as a residual (near zero at birth, as a blank newborn's mean). A separate
modulation head on the latent, also near zero at birth, sets each leg's stride amplitude (x0 to x2), the shared
frequency (x1/2 to x2) and each leg's phase offset from the trot (up to a quarter cycle either way, through the
coupling's targets). The phases and the sensed lean are per-world memory (agents/innate.py): stored with the
senses in the rollout and fresh (in the trot, upright) at each life's first step. The mean of a step is taken at
the phase the step reaches, so the step's own frequency and offsets shape it and learn through it; the stored phase
is the one before.
"""

import math

import torch
from gymnasium import spaces
from torch import nn

from agents.actor_critic import ActorCritic
from agents.config import PriorConfig
from agents.innate import InnateCircuit, Obs
from agents.learning_rules import learning_rule

JOINTS = ("hip", "knee")
LEGS = ("front_left", "front_right", "hind_left", "hind_right")  # the quadruped's action order, hip then knee
TROT = (0.0, 0.5, 0.5, 0.0)  # phase of each leg in cycles: diagonal legs together, the pairs half a cycle apart
PROPRIOCEPTION = 2 * 2 * len(LEGS) + 3  # joint angles and velocities, and the torso's velocity
SIDE = torch.tensor([1.0, -1.0, 1.0, -1.0])  # left legs +1, right legs -1
MAX_OFFSET = 0.25  # cycles a leg's phase may be moved from the trot
MEMORY = "cpg_phase"
LEAN = "cpg_lean"  # the sensed lean of the torso's top to its left (> 0) or right, in rad


class CentralPatternGenerator(InnateCircuit):
    memory_space = {MEMORY: spaces.Box(0.0, 1.0, (len(LEGS),)), LEAN: spaces.Box(-math.pi, math.pi, (1,))}

    def __init__(self, modulation: nn.Linear, cfg: PriorConfig):
        super().__init__()
        self.cfg = cfg
        self.modulation = modulation  # amplitude per leg, frequency, phase offset per leg
        self.register_buffer("trot", torch.tensor(TROT))
        self.register_buffer("side", SIDE.clone(), persistent=False)  # on the agent's device, not copied there per act

    def fresh_memory(self, obs: Obs) -> Obs:
        batch = next(iter(obs.values()))
        return {MEMORY: self.trot.to(batch.device).expand(batch.shape[0], -1).clone(),
                LEAN: torch.zeros(batch.shape[0], 1, device=batch.device)}

    def _lean(self, obs: Obs) -> torch.Tensor:
        """The sensed lean [B, 1] after this step's vestibular reading: the gyro's roll, integrated, drifts, and
        the accelerometer's sideways share of gravity (sin lean) is shaken by the stride, so a complementary filter
        follows the gyro and leans on the accelerometer over `cpg_lean_seconds`. Without the sense it stays 0."""
        if "vestibular" not in obs:
            return obs[LEAN]
        roll_rate, accel = obs["vestibular"][:, :1], obs["vestibular"][:, 3:6]
        gravity_lean = -accel[:, 1:2] / accel.norm(dim=1, keepdim=True).clamp_min(1e-3)  # left is +y in the head
        keep = self.cfg.cpg_lean_seconds / (self.cfg.cpg_lean_seconds + self.cfg.step_seconds)
        return keep * (obs[LEAN] - roll_rate * self.cfg.step_seconds) + (1 - keep) * gravity_lean

    def _step(self, latent: torch.Tensor, phase: torch.Tensor) -> tuple[torch.Tensor, torch.Tensor]:
        """(phase after one step [B, 4], stride amplitude per leg [B, 4]) under the latent's modulation."""
        legs = len(LEGS)
        modulation = torch.tanh(self.modulation(latent))
        amplitude = 1.0 + modulation[:, :legs]
        hz = self.cfg.cpg_hz * 2.0 ** modulation[:, legs]
        target = self.trot + MAX_OFFSET * modulation[:, legs + 1:]  # [B, 4] in cycles
        lag = (phase[:, None, :] - phase[:, :, None]) - (target[:, None, :] - target[:, :, None])  # [B, i, j]
        pull = torch.sin(2 * math.pi * lag).sum(-1) * self.cfg.cpg_coupling / (2 * math.pi)
        velocity = hz[:, None] + pull  # cycles per second
        return (phase + self.cfg.step_seconds * velocity) % 1.0, amplitude

    def next_memory(self, raw_mean: torch.Tensor, latent: torch.Tensor, obs: Obs) -> Obs:
        return {MEMORY: self._step(latent, obs[MEMORY])[0], LEAN: self._lean(obs)}

    def forward(self, raw_mean: torch.Tensor, latent: torch.Tensor, obs: Obs) -> torch.Tensor:
        phase, amplitude = self._step(latent, obs[MEMORY])
        swinging = phase < 0.5
        progress = torch.where(swinging, phase, phase - 0.5) * 2  # 0 to 1 through the swing or the stance
        # hip > 0 puts the foot behind: a swing brings it from behind to in front, a stance pushes it back
        hip = self.cfg.cpg_stride * amplitude * torch.where(swinging, torch.cos(math.pi * progress), 2 * progress - 1)
        knee = -self.cfg.cpg_lift * torch.sin(math.pi * progress) * swinging
        side = self.side
        knee = knee + self.cfg.cpg_lean * side * self._lean(obs)  # the legs on the leaning side straighten
        if "vestibular" in obs:  # the gyro's roll rate about the forward axis: > 0 rolls right
            knee = knee - self.cfg.cpg_righting * side * obs["vestibular"][:, :1]
        return raw_mean + torch.stack([hip, knee], dim=-1).flatten(1)  # hip then knee of each leg


def cpg(agent: ActorCritic, cfg: PriorConfig) -> ActorCritic:
    """Wire oscillators between the agent's actor and the quadruped's joints; another body is refused."""
    actions = agent.action_space.shape
    proprioception = agent.observation_space.spaces.get("proprioception")
    if actions != (len(LEGS) * len(JOINTS),) or (proprioception is not None
                                                  and proprioception.shape != (PROPRIOCEPTION,)):
        raise ValueError(
            f"the cpg prior drives the quadruped (8 actions: hip then knee of {', '.join(LEGS)}; proprioception of "
            f"{PROPRIOCEPTION}), but this body has {actions[0]} actions and proprioception "
            f"{None if proprioception is None else proprioception.shape}; use a world of the walking quadruped (Walk, "
            "WalkRough, Graze), or prior.name=blank"
        )
    # A head like the actor's, learned by the heads' rule; its small gain starts the newborn in the plain trot.
    modulation = learning_rule(agent.cfg.rule_for("heads")).linear(agent.cfg.latent, 2 * len(LEGS) + 1, gain=0.01)
    agent.innate = CentralPatternGenerator(modulation, cfg)
    return agent
