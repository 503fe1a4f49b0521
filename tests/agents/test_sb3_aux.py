"""The stable-baselines3 adapter: AuxPPO trains the auxiliary losses its policy owns, logs them, keeps them in
save and load, pairs observations in the order lived, and refuses the losses it cannot carry."""

import csv

import gymnasium
import numpy as np
import pytest
import torch
from stable_baselines3 import PPO
from stable_baselines3.common.env_util import make_vec_env
from stable_baselines3.common.logger import configure

import envs  # noqa: F401  (registers embodied/Forage-v0)
from agents.sb3 import AuxPPO

AUX = {"forward_model": 1.0, "inverse_dynamics": 1.0, "temporal_contrast": 1.0, "contrast_steps": 2}


def forage(episode_seconds: float = 1.0, n_envs: int = 2):
    # MultiInputPolicy sees the eye through NatureCNN, which needs images of at least 36 pixels.
    return make_vec_env("embodied/Forage-v0", n_envs=n_envs,
                        env_kwargs={"vision_size": 36, "episode_seconds": episode_seconds})


@pytest.fixture(scope="module")
def trained(tmp_path_factory):
    """A model trained for 8 updates, and the aux losses it logged at each (from SB3's CSV log)."""
    folder = tmp_path_factory.mktemp("sb3")
    model = AuxPPO("MultiInputPolicy", forage(), aux=AUX, n_steps=32, batch_size=32, n_epochs=2, seed=0,
                   device="cpu")
    model.set_logger(configure(str(folder), ["csv"]))
    model.learn(total_timesteps=8 * 64, log_interval=1)
    with open(folder / "progress.csv") as file:
        rows = list(csv.DictReader(file))
    logged = {name: [float(row[f"aux/{name}"]) for row in rows if row.get(f"aux/{name}")]
              for name in ("forward_model", "inverse_dynamics", "temporal_contrast")}
    return model, logged, folder


# The forward model and inverse dynamics are squared errors of about 1 at birth; temporal contrast is a
# cross-entropy over the minibatch's other lives, about 3 at birth.
@pytest.mark.parametrize("name, ratio", [("forward_model", 0.7), ("inverse_dynamics", 0.7),
                                         ("temporal_contrast", 0.85)])
def test_each_loss_is_logged_and_decreases(trained, name, ratio):
    _, logged, _ = trained
    losses = logged[name]
    assert len(losses) >= 6, losses  # one per update but the last (SB3 writes its log before each update)
    assert sum(losses[-2:]) < ratio * sum(losses[:2]), losses


def test_save_and_load_keep_the_aux_heads(trained):
    model, _, folder = trained
    model.save(folder / "model.zip")
    fresh = AuxPPO("MultiInputPolicy", forage(), aux=AUX, n_steps=32, seed=1, device="cpu")
    heads = model.policy.aux_losses.state_dict()
    assert not all(torch.equal(t, fresh.policy.aux_losses.state_dict()[k]) for k, t in heads.items())
    for loader in (AuxPPO, PPO):
        loaded = loader.load(folder / "model.zip", device="cpu").policy.aux_losses.state_dict()
        assert loaded.keys() == heads.keys()
        for key, tensor in heads.items():
            assert torch.equal(tensor, loaded[key]), key


def test_next_observations_follow_each_row_and_stop_at_a_reset():
    # Lives of 5 steps: obs[t + 1] begins a new life after t = 4 and t = 9 of a 12-step rollout.
    model = AuxPPO("MultiInputPolicy", forage(episode_seconds=0.25), aux={"forward_model": 1.0}, n_steps=12,
                   batch_size=24, n_epochs=1, seed=0, device="cpu")
    model.learn(total_timesteps=24)
    buffer, steps = model.rollout_buffer, 12
    buffer.sampled = np.arange(2 * steps)  # every row, world by world as SB3 flattens them
    obs = {key: torch.as_tensor(x) for key, x in buffer.observations.items()}
    batch = buffer.transitions(obs, torch.zeros(2 * steps, 4), torch.zeros(2 * steps, 1))
    t = np.arange(2 * steps) % steps
    assert np.array_equal(batch.valid.numpy(), t % 5 != 4)
    for key, x in buffer.observations.items():
        inside = t < steps - 1
        assert np.array_equal(batch.next_obs[key][inside].numpy(), x[np.flatnonzero(inside) + 1])
        assert np.array_equal(batch.next_obs[key][~inside].numpy(), model._last_obs[key])


def test_a_minibatch_is_encoded_once_for_ppo_and_the_losses():
    # One minibatch of one epoch: the forward model reuses the features SB3 computed for the actor and encodes only
    # the next observations (its target), so the features extractor runs twice, not three times.
    model = AuxPPO("MultiInputPolicy", forage(), aux={"forward_model": 1.0}, n_steps=16, batch_size=32, n_epochs=1,
                   seed=0, device="cpu")
    model.learn(total_timesteps=32)
    calls = []
    model.policy.pi_features_extractor.register_forward_hook(lambda module, inputs, output: calls.append(len(output)))
    model.train()
    assert calls == [32, 32]


@pytest.mark.parametrize("aux, message", [
    ({"reconstruction": 1.0}, "cannot carry aux.reconstruction: it needs our agent's per-sense encoders"),
    ({"cross_modal": 1.0, "forward_model": 1.0}, "cannot carry aux.cross_modal"),
    ({"forward_model": 1.0, "augment": 2}, "set aux.augment=0"),
    ({"temporal_contrast": 1.0, "contrast_steps": 20}, "20 steps apart, but a rollout holds 16 steps"),
    ({"forward_modle": 1.0}, "forward_modle"),
])
def test_a_loss_it_cannot_carry_is_a_clear_error(aux, message):
    with pytest.raises(ValueError, match=message):
        AuxPPO("MultiInputPolicy", forage(n_envs=1), aux=aux, n_steps=16, batch_size=16, device="cpu")


def test_plain_sb3_envs_work_without_aux():
    env = gymnasium.make("embodied/Forage-v0", vision_size=36)
    model = AuxPPO("MultiInputPolicy", env, n_steps=16, batch_size=16, n_epochs=1, seed=0, device="cpu")
    model.learn(total_timesteps=16)
    assert len(model.policy.aux_losses) == 0
