import numpy as np
import torch
from gymnasium import spaces

from agents.rollout import Rollout


def rollout(steps: int, num_envs: int) -> Rollout:
    space = spaces.Dict({"vision": spaces.Box(0, 255, (4, 4, 3), np.uint8), "touch": spaces.Box(-1, 1, (2,))})
    return Rollout(space, action_size=2, steps=steps, num_envs=num_envs, device=torch.device("cpu"))


def test_buffers_keep_images_as_bytes():
    r = rollout(steps=5, num_envs=3)
    assert r.obs["vision"].shape == (6, 3, 4, 4, 3) and r.obs["vision"].dtype == torch.uint8
    assert r.obs["touch"].shape == (6, 3, 2) and r.obs["touch"].dtype == torch.float32
    assert r.actions.shape == (5, 3, 2) and r.dones.dtype == torch.bool


def test_gae_against_a_hand_computed_example():
    r = rollout(steps=3, num_envs=1)
    r.rewards[:, 0] = torch.tensor([1.0, 2.0, 3.0])
    r.values[:, 0] = torch.tensor([0.5, 1.0, 1.5])
    r.dones[:, 0] = torch.tensor([False, True, False])  # the episode ends at step 1
    r.compute_returns(last_value=torch.tensor([2.0]), gamma=0.9, lam=0.8)
    # t=2: delta = 3 + 0.9 * 2.0 - 1.5 = 3.3;  A = 3.3
    # t=1: done, so no bootstrap and no carry: delta = 2 - 1.0 = 1.0;  A = 1.0
    # t=0: delta = 1 + 0.9 * 1.0 - 0.5 = 1.4;  A = 1.4 + 0.9 * 0.8 * 1.0 = 2.12
    torch.testing.assert_close(r.advantages[:, 0], torch.tensor([2.12, 1.0, 3.3]))
    torch.testing.assert_close(r.returns[:, 0], torch.tensor([2.62, 2.0, 4.8]))


def test_minibatches_cover_every_sample_once():
    r = rollout(steps=5, num_envs=3)
    indices = list(r.minibatches(4))
    assert len(indices) == 4
    assert sorted(torch.cat(indices).tolist()) == list(range(15))


def test_batch_rows_are_the_steps_they_index():
    r = rollout(steps=2, num_envs=3)
    r.actions[..., 0] = torch.arange(6.0).view(2, 3)
    r.obs["touch"][..., 0] = torch.arange(9.0).view(3, 3)
    index = torch.tensor([4, 0])  # step 1 of world 1, step 0 of world 0
    batch = r.batch(index)
    assert batch.actions[:, 0].tolist() == [4.0, 0.0]
    assert batch.obs["touch"][:, 0].tolist() == [4.0, 0.0]
    assert r.transitions(index, batch, latent=torch.zeros(2, 1)).next_obs["touch"][:, 0].tolist() == [7.0, 3.0]
