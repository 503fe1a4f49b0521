import numpy as np
import pytest
import torch
from gymnasium import spaces

from agents.actor_critic import ActorCritic
from agents.config import AgentConfig, PriorConfig
from agents.priors import apply_prior

DRIVE, TURN = 0, 1
SIZE = 16


def critter_spaces(depth: bool = False, actions: int = 4) -> tuple[spaces.Dict, spaces.Box]:
    senses = {
        "touch": spaces.Box(-np.inf, np.inf, (2,), np.float32),
        "vestibular": spaces.Box(-np.inf, np.inf, (6,), np.float32),
        "vision": spaces.Box(0, 255, (SIZE, SIZE, 4 if depth else 3), np.uint8),
    }
    return spaces.Dict(senses), spaces.Box(-1, 1, (actions,), np.float32)


def reflex_agent(depth: bool = False, **prior) -> ActorCritic:
    torch.manual_seed(0)
    agent = ActorCritic(*critter_spaces(depth), AgentConfig())
    return apply_prior(agent, PriorConfig(name="reflex", **prior))


def calm(batch: int = 2, depth: bool = False) -> dict[str, torch.Tensor]:
    """Nothing touches the snout, gravity is felt, a bright view with the floor near below."""
    vision = torch.full((batch, SIZE, SIZE, 4 if depth else 3), 200, dtype=torch.uint8)
    if depth:
        vision[..., 3] = 5  # 0.1 m
    vestibular = torch.tensor([0.0, 0.0, 0.0, 0.0, 0.0, 9.81]).repeat(batch, 1)
    return {"touch": torch.zeros(batch, 2), "vestibular": vestibular, "vision": vision}


def shift(agent: ActorCritic, obs: dict[str, torch.Tensor], previous=None) -> torch.Tensor:
    """The reflexes' part of the action mean: the mean minus the actor's own output."""
    obs = agent.remember(obs, previous)
    with torch.no_grad():
        latent = agent.latent(obs)
        return agent.policy(latent, obs).mean - agent.actor_mean(latent)


def test_nothing_happens_without_a_stimulus():
    for depth in (False, True):
        agent = reflex_agent(depth)
        first = calm(depth=depth)
        assert torch.equal(shift(agent, first), torch.zeros(2, 4))
        assert torch.equal(shift(agent, calm(depth=depth), agent.remember(first)), torch.zeros(2, 4))


def test_snout_touch_stops_and_turns_away():
    agent = reflex_agent()
    obs = calm()
    obs["touch"][0, 0] = 1.0  # the first world's snout presses on something
    obs["touch"][1, 1] = 1.0  # the second's body does: no snout reflex
    response = shift(agent, obs)
    torch.testing.assert_close(response[0], torch.tensor([-2.0, 2.0, 0.0, 0.0]))
    assert torch.equal(response[1], torch.zeros(4))


def test_a_looming_dark_shape_makes_it_run_and_turn_away_from_it():
    agent = reflex_agent()
    before, after = calm(), calm()
    after["vision"][0, :4, -6:] = 0  # upper right: a dark shape appears and grows (0 before)
    after["vision"][1, :4, :6] = 0  # upper left
    response = shift(agent, after, agent.remember(before))
    assert response[0, DRIVE] > 1.0 and response[1, DRIVE] > 1.0
    assert response[0, TURN] > 1.0 > -1.0 > response[1, TURN]  # right: turn left; left: turn right
    # the same dark shape, no longer growing, is no loom; nor is a life's first frame, however dark
    assert torch.equal(shift(agent, after, agent.remember(after)), torch.zeros(2, 4))
    assert torch.equal(shift(agent, after), torch.zeros(2, 4))


def test_a_drop_seen_in_depth_or_felt_as_free_fall_withdraws():
    agent = reflex_agent(depth=True)
    obs = calm(depth=True)
    obs["vision"][0, -2:, :, 3] = 40  # the bottom rows see 0.8 m down: past the brink
    obs["vestibular"][1, 3:] = 0.0  # the second world falls freely
    torch.testing.assert_close(shift(agent, obs), torch.tensor([[-2.0, 2.0, 0, 0], [-2.0, 2.0, 0, 0]]))


def test_the_gain_scales_and_fades_over_life():
    obs = calm()
    obs["touch"][:, 0] = 1.0
    assert torch.allclose(shift(reflex_agent(reflex_gain=0.5), obs)[0, :2], torch.tensor([-1.0, 1.0]))
    agent = reflex_agent(reflex_fade_seconds=10.0)  # 200 steps of 0.05 s
    agent.age(100)
    torch.testing.assert_close(shift(agent, obs)[0, :2], torch.tensor([-1.0, 1.0]))
    agent.age(150)
    assert torch.equal(shift(agent, obs), torch.zeros(2, 4))
    assert "innate.steps_lived" in agent.state_dict()  # a resumed run goes on fading where it stopped


def test_a_body_it_does_not_know_is_refused():
    agent = ActorCritic(*critter_spaces(actions=8), AgentConfig())
    with pytest.raises(ValueError, match="reflex prior knows the critter.*this body has 8 actions"):
        apply_prior(agent, PriorConfig(name="reflex"))
