"""The Gymnasium face: a single numpy env that check_env accepts and stable-baselines3 trains on."""

import gymnasium
import numpy as np
import pytest
from gymnasium.utils.env_checker import check_env

import envs


@pytest.mark.parametrize("entry", envs.entries(), ids=lambda entry: entry.gym_id)
def test_check_env_passes_for_every_registered_world(entry):
    env = gymnasium.make(entry.gym_id, render_mode="rgb_array", vision_size=16)
    check_env(env.unwrapped, skip_render_check=False)
    env.reset(seed=0)
    frame = env.render()
    assert frame.shape == (256, 256, 3) and frame.dtype == np.uint8 and frame.std() > 5
    env.close()


def test_episode_ends_by_truncation_with_the_last_observation():
    env = gymnasium.make("embodied/Forage-v0", vision_size=8, episode_seconds=0.25)
    env.reset(seed=0)
    forward = np.array([1, 0, 0, 0], dtype=np.float32)
    for _ in range(4):
        _, _, terminated, truncated, _ = env.step(forward)
        assert not (terminated or truncated)
    observation, _, terminated, truncated, _ = env.step(forward)
    assert truncated and not terminated
    assert observation["proprioception"][-3] > 0.05, "the last observation, not the next episode's first"
    env.close()


def test_stable_baselines3_ppo_trains_on_it():
    from stable_baselines3 import PPO
    from stable_baselines3.common.env_util import make_vec_env

    # MultiInputPolicy sees the eye through NatureCNN, which needs images of at least 36 pixels.
    vec = make_vec_env("embodied/Forage-v0", n_envs=2, env_kwargs={"vision_size": 36, "episode_seconds": 2})
    model = PPO("MultiInputPolicy", vec, n_steps=32, batch_size=32, n_epochs=1, seed=0, device="cpu")
    before = [p.detach().clone() for p in model.policy.parameters()]
    model.learn(total_timesteps=64)
    assert model.num_timesteps >= 64
    assert any(not np.allclose(b, p.detach()) for b, p in zip(before, model.policy.parameters(), strict=True))
    action, _ = model.predict(vec.reset(), deterministic=True)
    assert action.shape == (2, 4)
    vec.close()
