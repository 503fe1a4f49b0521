"""A Hebbian agent whose rule evolved improves within its life, with no gradient, on a task where a newborn's
random weights do badly: reach for a goal it sees, the best action being the goal itself."""

import numpy as np
import pytest
import torch
from gymnasium import spaces
from gymnasium.vector import VectorEnv
from gymnasium.vector.utils import batch_space

from agents.actor_critic import ActorCritic
from agents.config import AgentConfig
from agents.evolution import ESConfig, EvolutionStrategy, flatten, genes
from embodied.ancestry.es import live, population

LIFE = 48


class Reach(VectorEnv):
    """Reward -|clip(action) - goal|^2 for a goal in [-1, 1]^2 that the "vector" sense shows; a new goal every
    8 steps, so a life meets many goals and must map each to its action rather than remember one."""

    def __init__(self, num_envs: int):
        self.num_envs, self.device, self.dt = num_envs, torch.device("cpu"), 0.05
        self.single_observation_space = spaces.Dict({"vector": spaces.Box(-np.inf, np.inf, (2,), np.float32)})
        self.single_action_space = spaces.Box(-1.0, 1.0, (2,), np.float32)
        self.observation_space = batch_space(self.single_observation_space, num_envs)
        self.action_space = batch_space(self.single_action_space, num_envs)
        self.generator = torch.Generator()

    def reset(self, seed=None, options=None):
        self.generator.manual_seed(seed)
        self.t, self.goal = 0, self._goal()
        return {"vector": self.goal}, {}

    def step(self, actions):
        reward = -(actions.clamp(-1, 1) - self.goal).square().sum(-1)
        self.t += 1
        if self.t % 8 == 0:
            self.goal = self._goal()
        done = torch.zeros(self.num_envs, dtype=torch.bool)
        return {"vector": self.goal}, reward, done, done, {}

    def _goal(self) -> torch.Tensor:
        return torch.rand(self.num_envs, 2, generator=self.generator) * 2 - 1


def newborn(seed: int) -> ActorCritic:
    torch.manual_seed(seed)
    world = Reach(1)
    cfg = AgentConfig(learning_rule="hebbian", vector_hidden=2, latent=2)
    return ActorCritic(world.single_observation_space, world.single_action_space, cfg)


def gain_within_life(rules: torch.Tensor, lives: int = 64) -> float:
    """Mean reward over the last quarter of a life minus the first, over `lives` newborns of random weights."""
    rewards = live(Reach(lives), population(newborn(seed=99), rules.expand(lives, -1), "rule"), LIFE, seed=7)
    quarter = LIFE // 4
    return (rewards[-quarter:].mean() - rewards[:quarter].mean()).item()


@pytest.fixture(scope="module")
def evolved() -> torch.Tensor:
    cfg = ESConfig(evolve="rule", population=32, sigma=0.1, learning_rate=0.05, episode_steps=LIFE)
    strategy = EvolutionStrategy(flatten(genes(newborn(0), "rule")), cfg, seed=0)
    world = Reach(cfg.population)
    for generation in range(80):
        body = newborn(seed=1 + generation)  # fresh random weights every generation
        strategy.tell(live(world, population(body, strategy.ask(), "rule"), LIFE, seed=100 + generation).sum(0))
    return strategy.mean.float()


def test_an_evolved_rule_improves_within_a_life_and_random_rules_do_not(evolved):
    no_rule = gain_within_life(torch.zeros_like(evolved))  # the goals' own drift between the quarters
    generator = torch.Generator().manual_seed(0)
    random_rules = [gain_within_life(0.1 * torch.randn(len(evolved), generator=generator)) for _ in range(3)]
    print(f"gain within life: evolved {gain_within_life(evolved) - no_rule:.3f}, random "
          f"{[round(g - no_rule, 3) for g in random_rules]}")
    assert gain_within_life(evolved) - no_rule > 0.1
    assert gain_within_life(evolved) - no_rule > max(random_rules) - no_rule + 0.1
