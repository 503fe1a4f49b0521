import torch


def test_shapes(make_world, make_agent):
    world = make_world(num_envs=5)
    agent = make_agent(world, latent=24)
    obs, _ = world.reset(seed=0)
    action, log_prob, value = agent.act(obs)
    assert action.shape == (5, 2) and log_prob.shape == (5,) and value.shape == (5,)
    assert agent.latent(obs).shape == (5, 24)
    assert agent.value(obs).shape == (5,)
    log_prob2, entropy, value2, latent = agent.evaluate(obs, action)
    assert entropy.shape == (5,) and latent.shape == (5, 24)
    torch.testing.assert_close(log_prob2, log_prob)
    torch.testing.assert_close(value2, value)


def test_newborn_acts_gently_with_the_configured_spread(make_world, make_agent):
    world = make_world(num_envs=64)
    agent = make_agent(world, init_log_std=-1.0)
    obs, _ = world.reset(seed=0)
    mean, _, _ = agent.act(obs, deterministic=True)
    assert mean.abs().max() < 0.1
    assert torch.equal(agent.act(obs, deterministic=True)[0], mean)
    assert agent.actor_log_std.tolist() == [-1.0, -1.0]
    samples = torch.stack([agent.act(obs)[0] for _ in range(20)])
    assert 0.3 < (samples - mean).std() < 0.45  # exp(-1) = 0.37


def test_state_dict_round_trip_includes_the_normalisers(make_world, make_agent):
    world = make_world(num_envs=4)
    obs, _ = world.reset(seed=0)
    agent = make_agent(world, seed=0)
    agent.update_normalizers(obs)
    other = make_agent(world, seed=1)
    assert not torch.equal(other.value(obs), agent.value(obs))
    other.load_state_dict(agent.state_dict())
    assert torch.equal(other.value(obs), agent.value(obs))
    assert torch.equal(other.encoders["vector"].norm.mean, agent.encoders["vector"].norm.mean)
    assert agent.encoders["vector"].norm.mean.abs().sum() > 0
