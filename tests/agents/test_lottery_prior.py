import copy
import math

import torch

from agents.config import PPOConfig, PriorConfig
from agents.inheritance import Inheritance, signature
from agents.ppo import PPO
from agents.priors import apply_prior
from agents.priors.bit_budget import mask_bits, top_magnitudes

SMALL = dict(conv_channels=(8, 8), image_features=32, vector_hidden=32, latent=32)


def test_the_ancestors_mask_holds_through_learning_and_resume(tmp_path, make_world, make_agent):
    ancestor = make_agent(make_world(), seed=7, **SMALL)
    path = tmp_path / "ancestor.pt"
    torch.save(Inheritance("weights", ancestor.state_dict(), signature(ancestor), bits=1).state(), path)
    cfg = PriorConfig(name="lottery", artifact=str(path), keep=0.2)

    def learner() -> PPO:
        agent = apply_prior(make_agent(make_world(num_envs=4), seed=0, **SMALL), cfg)
        return PPO(agent, PPOConfig(rollout_steps=8, epochs=2, minibatches=2, learning_rate=1e-2), [], "cpu")

    def learn(ppo: PPO, updates: int) -> None:
        world = make_world(num_envs=4)
        obs = world.reset(seed=0)[0]
        for _ in range(updates):
            obs = ppo.collect(world, obs)
            ppo.update()

    masks = {name: top_magnitudes(p, 0.2) for name, p in ancestor.named_parameters() if p.dim() >= 2}
    ppo = learner()
    born = {name: p.detach().clone() for name, p in ppo.agent.named_parameters()}
    assert ppo.agent.inherited_bits == math.ceil(sum(mask_bits(m.numel(), int(m.sum())) for m in masks.values()))
    for name, mask in masks.items():
        assert torch.equal(born[name] != 0, mask), f"{name}: the newborn is wired as its ancestor's strongest links"
    learn(ppo, updates=2)
    state = copy.deepcopy(ppo.state_dict())

    resumed = learner()
    resumed.load_state_dict(state)
    learn(resumed, updates=2)
    for ppo_ in (ppo, resumed):
        weights = dict(ppo_.agent.named_parameters())
        for name, mask in masks.items():
            assert torch.all(weights[name][~mask] == 0), f"{name}: a pruned weight moved"
            assert not torch.equal(weights[name][mask], born[name][mask]), f"{name}: the kept weights learn"
