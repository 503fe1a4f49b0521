import torch

from agents.config import PPOConfig
from agents.ppo import PPO


def record_steps(world) -> list:
    """Keep what every world.step returned, to compare the rollout with."""
    steps, step = [], world.step

    def recording(actions):
        steps.append(step(actions))
        return steps[-1]

    world.step = recording
    return steps


def test_truncation_is_bootstrapped_and_termination_is_not(make_world, make_agent):
    world = make_world(num_envs=4, episode_steps=3, terminate_odd=True)
    agent = make_agent(world)
    torch.nn.init.constant_(agent.critic.bias, 5.0)  # a clearly non-zero V(final_obs)
    ppo = PPO(agent, PPOConfig(rollout_steps=7, gamma=0.9), [], "cpu")
    steps = record_steps(world)
    ppo.collect(world, world.reset(seed=0)[0])

    r = ppo.rollout
    rewards, terminated, truncated = (torch.stack([s[i] for s in steps]) for i in (1, 2, 3))
    assert truncated.any() and terminated.any()
    with torch.no_grad():
        final_values = torch.stack([agent.value(s[4]["final_obs"]) for s in steps])
    expected = torch.where(truncated, rewards + 0.9 * final_values, rewards)
    torch.testing.assert_close(r.rewards, expected)
    assert torch.equal(r.dones, terminated | truncated)
    assert ppo.env_steps == 7 * 4


def test_the_update_starts_from_the_policy_that_collected(make_world, make_agent):
    """Normaliser statistics move only after an update, so stored log-probs match a fresh evaluation."""
    world = make_world(num_envs=4)
    ppo = PPO(make_agent(world), PPOConfig(rollout_steps=8), [], "cpu")
    obs = world.reset(seed=0)[0]
    for _ in range(2):  # the second rollout is collected under moved statistics
        obs = ppo.collect(world, obs)
        r = ppo.rollout
        with torch.no_grad():
            log_prob, _, value, _ = ppo.agent.evaluate(r.acted_obs(), r.actions.flatten(0, 1))
        torch.testing.assert_close(log_prob, r.log_probs.flatten(), rtol=1e-5, atol=1e-5)
        torch.testing.assert_close(value, r.values.flatten(), rtol=1e-5, atol=1e-5)
        ppo.update()
    assert ppo.agent.encoders["vector"].norm.mean.abs().min() > 1.0  # learned the offset of 5


def test_finished_episodes_are_reported_with_the_world_rewards(make_world, make_agent):
    world = make_world(num_envs=3, episode_steps=4)
    ppo = PPO(make_agent(world), PPOConfig(rollout_steps=6), [], "cpu")
    steps = record_steps(world)
    obs = world.reset(seed=0)[0]
    obs = ppo.collect(world, obs)
    ppo.update()
    obs = ppo.collect(world, obs)  # steps 6..11: episodes end at steps 7 and 11, across the rollout boundary
    metrics = ppo.update()

    rewards = torch.stack([s[1] for s in steps])  # [12, 3]
    returns, lengths = ppo.rollout.finished_episodes()
    expected = rewards[4:8].sum(0).tolist() + rewards[8:12].sum(0).tolist()
    torch.testing.assert_close(sorted(returns.tolist()), sorted(expected))
    assert lengths.tolist() == [4.0] * 6
    assert metrics["episode/count"] == 6
    assert abs(metrics["episode/return"] - sum(expected) / 6) < 1e-4
