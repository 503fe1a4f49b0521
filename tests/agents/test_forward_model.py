import torch

from agents.aux import ForwardModel, build_aux_losses
from agents.config import AuxConfig, PPOConfig
from agents.ppo import PPO


def test_registry_builds_only_losses_with_weight(make_world, make_agent):
    agent = make_agent(make_world())
    assert build_aux_losses(AuxConfig(), agent) == []
    [(loss, weight)] = build_aux_losses(AuxConfig(forward_model=0.5), agent)
    assert isinstance(loss, ForwardModel) and loss.name == "forward_model" and weight == 0.5


def test_no_loss_is_taken_across_a_reset(make_world, make_agent):
    world = make_world(num_envs=4, episode_steps=3)
    agent = make_agent(world)
    ppo = PPO(agent, PPOConfig(rollout_steps=8), [], "cpu")
    ppo.collect(world, world.reset(seed=0)[0])
    r = ppo.rollout
    index = torch.arange(8 * 4)
    batch = r.batch(index)
    transitions = r.transitions(index, batch, agent.latent(batch.obs))
    assert torch.equal(transitions.valid, ~r.dones.flatten())
    assert (~transitions.valid).sum() == 2 * 4  # episodes end at steps 2 and 5

    model = ForwardModel(agent.cfg.latent, 2)
    loss = model(agent, transitions)
    scrambled = {name: x.clone() for name, x in transitions.next_obs.items()}
    scrambled["vector"][~transitions.valid] += 100.0
    transitions.next_obs = scrambled
    torch.testing.assert_close(model(agent, transitions), loss)
    scrambled["vector"][transitions.valid] += 100.0  # the same change on valid rows does count
    assert (model(agent, transitions) - loss).abs() > 1e-3


def test_forward_model_learns_to_predict(make_world, make_agent):
    world = make_world(num_envs=16, episode_steps=16)
    agent = make_agent(world, conv_channels=(8, 8), image_features=32, vector_hidden=32, latent=32)
    ppo = PPO(agent, PPOConfig(rollout_steps=16), build_aux_losses(AuxConfig(forward_model=1.0), agent), "cpu")
    obs = world.reset(seed=0)[0]
    losses = []
    for _ in range(15):
        obs = ppo.collect(world, obs)
        losses.append(ppo.update()["aux/forward_model"])
    assert sum(losses[-3:]) < 0.3 * sum(losses[:3]), losses
    # A falling loss could mean a collapsing latent; it must also beat guessing the mean latent.
    with torch.no_grad():
        spread = agent.latent(ppo.rollout.acted_obs()).var(0).mean().item()
    assert losses[-1] < 0.25 * spread, (losses[-1], spread)
