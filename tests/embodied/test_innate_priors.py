"""Innate priors on real worlds: the learner sees what the acting policy saw, and a cpg newborn walks."""

import pytest
import torch

import envs
from agents.actor_critic import ActorCritic
from agents.config import AgentConfig, PPOConfig, PriorConfig
from agents.ppo import PPO
from agents.priors import apply_prior
from embodied.evaluation import agent_policy
from embodied.probes import probe_score


def newborn(world, prior: str, seed: int = 0) -> ActorCritic:
    torch.manual_seed(seed)
    agent = ActorCritic(world.single_observation_space, world.single_action_space, AgentConfig())
    return apply_prior(agent, PriorConfig(name=prior))


@pytest.mark.parametrize("world_name, prior", [("Forage", "reflex"), ("Walk", "cpg"), ("Graze", "cpg")])
def test_the_update_recomputes_the_log_probs_it_acted_with(world_name, prior):
    world = envs.make(world_name, num_envs=2, vision_size=16, episode_seconds=0.5, seed=0)
    ppo = PPO(newborn(world, prior), PPOConfig(rollout_steps=16), [], "cpu")
    obs = ppo.collect(world, world.reset(seed=0)[0])
    rollout = ppo.rollout
    assert rollout.dones.any()  # a life ended inside the rollout, so its memory started afresh there
    memory = next(iter(ppo.agent.memory_space))
    assert rollout.obs[memory].flatten(0, 1).std(0).max() > 0  # and it changed as the worlds went on
    with torch.no_grad():
        log_prob, *_ = ppo.agent.evaluate(rollout.acted_obs(), rollout.actions.flatten(0, 1))
    # the first probability ratio is 1, up to the rounding of a batched matmul
    torch.testing.assert_close(log_prob, rollout.log_probs.flatten(), rtol=1e-5, atol=1e-5)
    assert memory in obs  # the next rollout continues from it
    world.close()


def test_a_cpg_newborn_walks_forward_faster_than_a_blank_one():
    world = envs.make("Walk", num_envs=4, vision_size=16, seed=1)
    speed = {prior: probe_score(world, agent_policy(newborn(world, prior), torch.device("cpu"), True), 4.0, 7)
             for prior in ("blank", "cpg")}
    world.close()
    assert abs(speed["blank"]) < 0.05  # a blank newborn's mean action holds it standing
    assert speed["cpg"] > 0.3  # m/s, as the scripted trot walks
