import math

import numpy as np
import pytest
import torch
from gymnasium import spaces

from agents.actor_critic import ActorCritic
from agents.config import AgentConfig, PriorConfig
from agents.priors import apply_prior
from agents.priors.cpg import LEAN, MEMORY, TROT

STEPS_PER_CYCLE = 10  # 2 Hz at 0.05 s a step
FL, FR, HL, HR = 0, 2, 4, 6  # hip actions of each leg


def quadruped_spaces(actions: int = 8) -> tuple[spaces.Dict, spaces.Box]:
    senses = {"proprioception": spaces.Box(-np.inf, np.inf, (19,), np.float32),
              "vestibular": spaces.Box(-np.inf, np.inf, (6,), np.float32)}
    return spaces.Dict(senses), spaces.Box(-1, 1, (actions,), np.float32)


def cpg_agent(**prior) -> ActorCritic:
    torch.manual_seed(0)
    return apply_prior(ActorCritic(*quadruped_spaces(), AgentConfig()), PriorConfig(name="cpg", **prior))


def still(batch: int = 2) -> dict[str, torch.Tensor]:
    return {"proprioception": torch.zeros(batch, 19), "vestibular": torch.zeros(batch, 6)}


def upright_with(phase: torch.Tensor) -> dict[str, torch.Tensor]:
    """A still body upright, its circuit's memory holding `phase` [2, 4]."""
    return still() | {MEMORY: phase, LEAN: torch.zeros(2, 1)}


@torch.no_grad()
def run(agent: ActorCritic, steps: int, obs=None) -> tuple[torch.Tensor, list]:
    """Mean actions [steps, B, 8] and memories of the circuit driven by an unchanging body."""
    obs = agent.remember(still() if obs is None else obs)
    means, memories = [], []
    for _ in range(steps):
        means.append(agent.act(obs, deterministic=True)[0])
        memories.append(obs[MEMORY])
        obs = agent.remember(still(), obs)
    return torch.stack(means), memories


def test_the_oscillators_trot():
    means, _ = run(cpg_agent(), 4 * STEPS_PER_CYCLE)
    hips = means[..., [FL, FR, HL, HR]]
    assert hips.std() > 0.15  # the legs swing
    torch.testing.assert_close(hips[..., 0], hips[..., 3], atol=0.02, rtol=0)  # diagonal legs in phase
    torch.testing.assert_close(hips[..., 1], hips[..., 2], atol=0.02, rtol=0)
    half = STEPS_PER_CYCLE // 2  # the two pairs half a cycle apart, and a cycle is the stride period
    torch.testing.assert_close(hips[half:, :, 0], hips[:-half, :, 1], atol=0.02, rtol=0)
    torch.testing.assert_close(hips[STEPS_PER_CYCLE:], hips[:-STEPS_PER_CYCLE], atol=0.02, rtol=0)
    assert (hips[:half, :, 0] - hips[:half, :, 1]).abs().max() > 0.3


def cycles_apart(a: torch.Tensor, b: torch.Tensor) -> torch.Tensor:
    lag = (a - b) % 1.0
    return torch.minimum(lag, 1 - lag)


def test_coupling_pulls_a_disturbed_rhythm_back_into_the_trot():
    disturbed = upright_with(torch.tensor([[0.0, 0.2, 0.7, 0.4]] * 2))
    for coupling, settles in ((4.0, True), (0.0, False)):
        _, memories = run(cpg_agent(cpg_coupling=coupling), 3 * 20, disturbed)  # 3 s
        lag = cycles_apart(memories[-1] - memories[-1][:, :1], torch.tensor(TROT))
        assert (lag.max() < 0.02) == settles
        if not settles:  # uncoupled, each keeps its own phase
            kept = cycles_apart(memories[-1] - memories[-1][:, :1], disturbed[MEMORY] - disturbed[MEMORY][:, :1])
            assert kept.max() < 1e-4


def test_the_rhythm_starts_in_the_trot_at_each_life_start():
    agent = cpg_agent()
    _, memories = run(agent, 7)
    moved = agent.remember(still(), upright_with(memories[-1]))
    assert not torch.allclose(moved[MEMORY], torch.tensor(TROT))
    fresh = agent.remember(still(), upright_with(memories[-1]), done=torch.tensor([True, False]))
    torch.testing.assert_close(fresh[MEMORY][0], torch.tensor(TROT))
    torch.testing.assert_close(fresh[MEMORY][1], moved[MEMORY][1])


def test_the_policy_modulates_frequency_and_amplitude():
    agent = cpg_agent()
    with torch.no_grad():
        agent.innate.modulation.bias[4] = 10.0  # frequency: tanh saturates, twice as fast
        agent.innate.modulation.bias[:4] = -10.0  # amplitude: no stride
    means, memories = run(agent, 3)
    torch.testing.assert_close(memories[1] - memories[0], torch.full((2, 4), 0.2), atol=1e-3, rtol=0)
    assert means[..., [FL, FR, HL, HR]].abs().max() < 0.05


def test_a_body_it_does_not_know_is_refused():
    agent = ActorCritic(*quadruped_spaces(actions=4), AgentConfig())
    with pytest.raises(ValueError, match="cpg prior drives the quadruped.*this body has 4 actions"):
        apply_prior(agent, PriorConfig(name="cpg"))


def test_the_knees_on_the_side_it_leans_to_straighten():
    """A body held leaning feels gravity's sideways share in its head's accelerometer (left is +y, so leaning
    left, gravity pulls towards -y and the accelerometer reads +g along its own up): within a couple of seconds
    the left knees straighten against a left lean and the right knees against a right one."""
    def leaning(lean: float) -> dict[str, torch.Tensor]:
        accel = torch.tensor([0.0, -math.sin(lean), math.cos(lean)]) * 9.81
        return {"proprioception": torch.zeros(1, 19), "vestibular": torch.cat([torch.zeros(3), accel])[None]}

    def left_minus_right_knees(agent: ActorCritic, lean: float) -> float:
        obs = agent.remember(leaning(lean))
        with torch.no_grad():
            for _ in range(2 * 20):  # 2 s
                obs = agent.remember(leaning(lean), obs)
            knees = agent.act(obs, deterministic=True)[0][0, 1::2]  # front left, front right, hind left, hind right
        return (knees[0] + knees[2] - knees[1] - knees[3]).item()  # the trot alone lifts both sides alike

    reflex = cpg_agent()
    assert left_minus_right_knees(reflex, 0.2) > 0.5
    assert left_minus_right_knees(reflex, -0.2) < -0.5
    assert abs(left_minus_right_knees(cpg_agent(cpg_lean=0.0), 0.2)) < 0.05
