"""With its world on a GPU, a rollout never makes the host wait for the device: no step reads a device value on the
host (a bool of a tensor, an item, a list, a copy to the CPU, a boolean-mask index, the indices of a mask).

Shown on the CPU: the warp backend runs on Warp's CPU device with the control flow it has on a GPU (`host_branches`
off), and every torch call that would read device data on the host is recorded while PPO collects rollouts. The
only reads allowed are the world's fault check, once a rollout.
"""

import traceback

import pytest
import torch
from torch.overrides import TorchFunctionMode
from torch.utils._python_dispatch import TorchDispatchMode

import envs
from agents.actor_critic import ActorCritic
from agents.config import AgentConfig, PPOConfig
from agents.ppo import PPO

pytest.importorskip("mujoco_warp")

Tensor = torch.Tensor
HOST_READS = {Tensor.__bool__, Tensor.__int__, Tensor.__float__, Tensor.__index__, Tensor.__array__, Tensor.item,
              Tensor.tolist, Tensor.numpy, Tensor.cpu, Tensor.nonzero, torch.nonzero, Tensor.masked_select}


class HostReads(TorchFunctionMode):
    """Records every torch call that would make the host read a device's data, with where it was made."""

    def __init__(self):
        super().__init__()
        self.reads: list[tuple[str, list[str]]] = []

    def __torch_function__(self, func, types, args=(), kwargs=None):
        kwargs = kwargs or {}
        masked = func in (Tensor.__getitem__, Tensor.__setitem__) and _holds_a_mask(args[1])
        if func in HOST_READS or masked:
            self.reads.append((func.__name__, [frame.name for frame in traceback.extract_stack()]))
        return func(*args, **kwargs)


class HiddenHostReads(TorchDispatchMode):
    """Records the reads torch makes on its own beneath the calls above: a tensor index of one element read as a
    number (`_local_scalar_dense`), a tensor made from Python data (on a GPU, a copy from the host that waits)."""

    OPS = {torch.ops.aten._local_scalar_dense.default, torch.ops.aten.lift_fresh.default,
           torch.ops.aten.nonzero.default}

    def __init__(self):
        super().__init__()
        self.reads: list[tuple[str, list[str]]] = []

    def __torch_dispatch__(self, func, types, args=(), kwargs=None):
        if func in self.OPS:
            self.reads.append((str(func), [frame.name for frame in traceback.extract_stack()]))
        return func(*args, **(kwargs or {}))


def _holds_a_mask(index) -> bool:
    indices = index if isinstance(index, tuple) else (index,)
    return any(isinstance(i, Tensor) and i.dtype == torch.bool for i in indices)


@pytest.mark.parametrize("name", envs.names())
def test_a_rollout_on_the_device_never_waits_for_it(name):
    with envs.make(name, num_envs=3, seed=0, vision_size=16, depth=True, richness="rich", backend="warp",
                   episode_seconds=0.5) as world:  # every factor on, and lives end within a rollout
        world.backend.host_branches = False
        agent = ActorCritic(world.single_observation_space, world.single_action_space, AgentConfig())
        ppo = PPO(agent, PPOConfig(rollout_steps=16), [], "cpu", total_updates=1)
        observation, _ = world.reset(seed=0)
        observation = ppo.collect(world, observation)  # the first builds what is built once (renderers, kernels)
        with HostReads() as recorder, HiddenHostReads() as hidden:
            ppo.collect(world, observation)
    per_step = [(what, stack[-4:]) for what, stack in recorder.reads + hidden.reads if "check_faults" not in stack]
    assert not per_step, f"host reads in the step loop: {per_step[:5]}"
    assert recorder.reads, "the fault check still reads, once a rollout"
    assert torch.equal(ppo.rollout.dones.any(dim=0), torch.ones(3, dtype=torch.bool)), "lives ended and began again"


@pytest.mark.skipif(not torch.cuda.is_available(), reason="needs a CUDA device")
def test_on_a_gpu_no_step_of_a_rollout_synchronises(monkeypatch):
    """The same, on a GPU: torch raises at any call that synchronises the device with the host."""
    with envs.make("Forage", num_envs=64, seed=0, vision_size=32, richness="rich", backend="warp", device="cuda",
                   episode_seconds=0.5) as world:
        agent = ActorCritic(world.single_observation_space, world.single_action_space, AgentConfig())
        ppo = PPO(agent, PPOConfig(rollout_steps=16), [], "cuda", total_updates=1)
        observation = ppo.collect(world, world.reset(seed=0)[0])
        check = world.check_faults

        def check_without_debugging() -> None:  # the one read a rollout makes, at its end
            torch.cuda.set_sync_debug_mode(0)
            check()
            torch.cuda.set_sync_debug_mode("error")

        monkeypatch.setattr(world, "check_faults", check_without_debugging)
        torch.cuda.set_sync_debug_mode("error")
        try:
            ppo.collect(world, observation)
        finally:
            torch.cuda.set_sync_debug_mode(0)
