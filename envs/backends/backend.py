"""What every backend offers tasks, senses and richness factors: batched state as torch tensors on its device,
physics steps, resets and writes of the worlds a mask selects, per-world model fields and camera images.

Masks, not index lists: on a GPU, turning a mask into the indices of its worlds (or asking whether any world is
set) makes the host wait for the device, a round trip per step. So every call that touches some worlds takes a
bool mask [N] and full-batch values [N, ...], and leaves the worlds outside the mask as they were. Code that would
skip work when no world needs it asks `maybe_any(mask)`, which answers exactly where that is free (the CPU) and
says yes on an accelerator, where the masked work runs for every world instead of stalling.
"""

from abc import ABC, abstractmethod

import mujoco
import torch


def rows(mask: torch.Tensor, value: torch.Tensor) -> torch.Tensor:
    """`mask` [N] shaped to pick whole rows of `value` [N, ...] in `torch.where`."""
    return mask.view(-1, *[1] * (value.dim() - 1))


class UnstableSimulationError(RuntimeError):
    """The physics diverged so often that continuing would feed the learner garbage."""


class Backend(ABC):
    """`qpos`, `qvel`, `sensordata`, `mocap_pos` and `mocap_quat` are tensors [N, ...] on `device` that show the
    live state: reading them costs nothing, and the next step or write overwrites them."""

    model: mujoco.MjModel
    num_envs: int
    device: torch.device
    qpos: torch.Tensor
    qvel: torch.Tensor
    sensordata: torch.Tensor
    mocap_pos: torch.Tensor
    mocap_quat: torch.Tensor
    #: Whether the host may read device values for free (the CPU). A GPU backend sets it False; tests set it False
    #: on the CPU to rehearse the accelerator's control flow.
    host_branches: bool = True

    def checked(self, mask: torch.Tensor) -> torch.Tensor:
        """`mask` on this backend's device, once it is known to be a bool mask [N] (an index list is an error: read
        as a mask it would pick other worlds)."""
        if mask.dtype != torch.bool or mask.shape != (self.num_envs,):
            raise TypeError(f"a mask of the worlds must be bool [{self.num_envs}], not {mask.dtype} "
                            f"{list(mask.shape)}; e.g. torch.zeros({self.num_envs}, dtype=torch.bool) set where meant")
        return mask.to(self.device)

    def maybe_any(self, mask: torch.Tensor) -> bool:
        """Whether any world in `mask` [N] is set, as far as the host can tell without stalling the device: exact
        where `host_branches`, else True (code under it must leave the worlds outside the mask untouched)."""
        return bool(mask.any()) if self.host_branches else True

    @abstractmethod
    def step(self, ctrl: torch.Tensor, substeps: int) -> torch.Tensor:
        """Apply `ctrl` [N, nu] and advance every world by `substeps` physics steps. Returns the worlds [N] whose
        physics diverged (a non-finite or huge state, as MuJoCo's own checks): they are back in the model's initial
        state, and their lives must start again."""

    @abstractmethod
    def reset(self, mask: torch.Tensor) -> None:
        """Return the worlds in `mask` to the model's initial state (time, mocap bodies and sensors included)."""

    @abstractmethod
    def write(self, mask: torch.Tensor, qpos: torch.Tensor | None = None, qvel: torch.Tensor | None = None,
              mocap_pos: torch.Tensor | None = None, mocap_quat: torch.Tensor | None = None,
              forward: bool = True) -> None:
        """Set the given state [N, ...] in the worlds in `mask` and, with `forward`, recompute what derives from it
        there (sensors, poses); without, that waits for the next step (cheaper, for objects moved every step)."""

    @abstractmethod
    def model_field(self, name: str) -> torch.Tensor:
        """A model field of every world [N, ...] (e.g. `geom_size`), as `set_model_field` left it; read-only."""

    @abstractmethod
    def set_model_field(self, name: str, mask: torch.Tensor, index: torch.Tensor, values: torch.Tensor) -> None:
        """Set rows `index` [k] of `model.<name>` to `values` [N, k, ...] in the worlds in `mask`. Fields read in
        the kinematics (light and camera poses) take effect at the next step or write; colours and sizes at once."""

    @abstractmethod
    def render(self, cameras: tuple[str, ...], size: int, env_ids: torch.Tensor | None = None,
               height: int | None = None, depth: bool = False) -> torch.Tensor:
        """Images uint8 [n, len(cameras), height, size, 3] of the given worlds (all when None) from each camera;
        with `depth`, a fourth channel of distance, 0 at the eye to 255 at `MAX_DEPTH` metres or farther."""

    def close(self) -> None:
        """Free what the backend holds outside Python's memory (threads, GL contexts, device buffers)."""
