"""Imprint: the object a newborn lives with becomes its "mother"; tested later, it prefers that object to a
novel one even when both are shown from viewpoints it never saw.

Newborn chicks reared with a single virtual object, seen only from a narrow range of viewpoints, recognise
it from novel viewpoints on their first test (Wood 2013, PNAS; Wood and Wood's newborn embodied Turing test
compares such chicks with artificial agents in matched virtual chambers). Here training worlds are the
rearing chamber: the mother object stands at one end of the pen, turning back and forth within a narrow range
of viewpoints, and staying near it is rewarded (the chick's drive to stay close to its imprinted object).
Held-out worlds are the test chamber: the mother and a novel object of the same colour stand at the two
ends, both turned to viewpoints the rearing never showed. The probe is the preference index: the share of
time spent near the mother less the share spent near the novel object (1: always with the mother, 0: no
preference, as a random walker).
"""

import math
from dataclasses import dataclass

import mujoco
import torch

from envs.tasks.steering import steer_towards
from envs.tasks.task import Task

COLOUR = [0.9, 0.75, 0.2, 1]  # both objects: only their shape tells them apart
# Each object is a few geoms (type, size, offset from its base), asymmetric so that its viewpoint matters.
SHAPES = {
    "mother": ((mujoco.mjtGeom.mjGEOM_BOX, [0.12, 0.04, 0.08], [0.0, 0.0, 0.08]),
               (mujoco.mjtGeom.mjGEOM_SPHERE, [0.06, 0, 0], [0.1, 0.0, 0.2])),
    "novel": ((mujoco.mjtGeom.mjGEOM_CYLINDER, [0.07, 0.08, 0], [0.0, 0.0, 0.08]),
              (mujoco.mjtGeom.mjGEOM_BOX, [0.03, 0.12, 0.03], [0.0, 0.06, 0.19])),
}
REARING_VIEWS = 30.0  # degrees either side of the front: all the rearing chamber ever shows
TEST_VIEWS = (90.0, 150.0)  # degrees from the front, either side: the test shows only these
TURN_PERIOD = 8.0  # seconds of one back-and-forth turn of the object in rearing
NEAR = 0.5  # metres from an object's stand: the zone where the animal counts as with it


@dataclass
class Imprint(Task):
    probe_name = "imprint_preference"
    probe_signals = ("near_mother", "near_novel")

    test: bool = False  # the test chamber (held-out worlds) instead of the rearing chamber
    reward_near: float = 0.1  # per control step spent near the mother
    scale: float = 1.0  # of the objects' size: a bigger animal, whose eyes are higher, gets a bigger mother
    near: float = NEAR  # metres from an object's stand: the zone where the animal counts as with it
    follow: float = 0.6 * NEAR  # metres from the mother's stand at which the scripted animal stops to stay by her

    def build(self, spec: mujoco.MjSpec, body, arena) -> None:
        self.body, self.arena = body, arena
        for name, parts in SHAPES.items():
            stand = spec.worldbody.add_body(name=name, mocap=True, pos=[0, 0, -1])
            for index, (kind, size, offset) in enumerate(parts):
                stand.add_geom(name=f"{name}{index}", type=kind, size=[self.scale * x for x in size],
                               pos=[self.scale * x for x in offset], rgba=COLOUR, contype=0, conaffinity=0)
        spec.add_sensor(name="imprint/clock", type=mujoco.mjtSensor.mjSENS_CLOCK)

    def bind(self, model: mujoco.MjModel) -> None:
        self.mocap = {name: int(model.body(name).mocapid[0]) for name in SHAPES}
        self.pilot = self.body.pilot(model)
        self.body_pos = int(model.sensor("pose/body_pos").adr[0])
        self.body_xaxis = int(model.sensor("pose/body_xaxis").adr[0])
        self.clock = int(model.sensor("imprint/clock").adr[0])
        self.qpos0 = torch.as_tensor(model.qpos0)
        self.ends = torch.tensor([[self.arena.half - 0.2, 0.0], [-(self.arena.half - 0.2), 0.0]], dtype=torch.float64)
        self.mother_end = torch.zeros(0, dtype=torch.long)
        self.view = torch.zeros(0, 2, dtype=torch.float64)

    def reset(self, backend, mask: torch.Tensor, generator: torch.Generator) -> None:
        """The animal in the middle facing anywhere; the mother at a random end (and, in the test, the novel
        object at the other), each facing the middle turned by its viewpoint."""
        n, device = backend.num_envs, generator.device
        if len(self.mother_end) != n:
            self.mother_end = torch.zeros(n, dtype=torch.long, device=device)
            self.view = torch.zeros(n, 2, dtype=torch.float64, device=device)
            self.everyone = torch.ones(n, dtype=torch.bool, device=device)
        draw = dict(generator=generator, dtype=torch.float64, device=device)
        qpos = self.qpos0.repeat(n, 1)
        yaw = (torch.rand(n, **draw) * 2 - 1) * torch.pi
        self.pilot.place(qpos, torch.zeros(n, 2, dtype=torch.float64, device=device), yaw)
        ends = torch.randint(0, 2, (n,), generator=generator, device=device)
        self.mother_end = torch.where(mask, ends, self.mother_end)
        if self.test:
            low, high = TEST_VIEWS
            magnitude = low + (high - low) * torch.rand(n, 2, **draw)
            side = torch.randint(0, 2, (n, 2), generator=generator, device=device) * 2 - 1
            self.view = torch.where(mask[:, None], magnitude * side, self.view)
        mocap_pos, mocap_quat = self._stands(backend)
        backend.write(mask, qpos=qpos, qvel=torch.zeros_like(backend.qvel), mocap_pos=mocap_pos,
                      mocap_quat=mocap_quat)

    def _stands(self, backend) -> tuple[torch.Tensor, torch.Tensor]:
        """Where the objects stand and how they are turned in every world now."""
        mocap_pos, mocap_quat = backend.mocap_pos.clone(), backend.mocap_quat.clone()
        mother_end, views = self.mother_end, self.view
        if not self.test:  # rearing: the mother turns back and forth within the rearing viewpoints
            time = backend.sensordata[:, self.clock].double()
            views = REARING_VIEWS * torch.sin(2 * math.pi * time / TURN_PERIOD)[:, None].repeat(1, 2)
        for column, (name, end) in enumerate((("mother", mother_end), ("novel", 1 - mother_end))):
            position = self.ends[end]
            shown = self.test or name == "mother"
            height = torch.full_like(position[:, :1], 0.0 if shown else -1.0)
            mocap_pos[:, self.mocap[name]] = torch.cat([position, height], dim=1).to(mocap_pos)
            # Face the middle of the pen (its front towards the animal's start), then turn by the viewpoint.
            facing = torch.atan2(-position[:, 1], -position[:, 0]) + torch.deg2rad(views[:, column])
            zero = torch.zeros_like(facing)
            mocap_quat[:, self.mocap[name]] = torch.stack(
                [torch.cos(facing / 2), zero, zero, torch.sin(facing / 2)], 1).to(mocap_quat)
        return mocap_pos, mocap_quat

    def _near(self, backend, name: str) -> torch.Tensor:
        position = backend.sensordata[:, self.body_pos:self.body_pos + 2]
        return (backend.mocap_pos[:, self.mocap[name], :2] - position).norm(dim=1) < self.near

    def step(self, backend, generator: torch.Generator) -> tuple[torch.Tensor, torch.Tensor, dict]:
        if not self.test:
            _, mocap_quat = self._stands(backend)
            backend.write(self.everyone, mocap_quat=mocap_quat, forward=False)
        mother, novel = self._near(backend, "mother"), self._near(backend, "novel") & self.test
        reward = self.reward_near * mother.float()
        return reward, torch.zeros_like(mother), {"near_mother": mother.float(), "near_novel": novel.float()}

    def probe(self, signals: dict[str, torch.Tensor], dt: float) -> float:
        """Share of the time near the mother less the share near the novel object, over the worlds."""
        return float((signals["near_mother"] - signals["near_novel"]).mean())

    def measures(self, signals: dict[str, torch.Tensor], dt: float) -> dict[str, float]:
        """The probe and the share of time near each object: an animal that keeps by either object without
        telling them apart scores 0 as one that keeps by neither does; these two tell them apart."""
        return {self.probe_name: self.probe(signals, dt), "time_near_mother": float(signals["near_mother"].mean()),
                "time_near_novel": float(signals["near_novel"].mean())}

    def reference_action(self, backend) -> torch.Tensor:
        """Go to the mother and stay with it (the body's own actions for that, through its pilot)."""
        position = backend.sensordata[:, self.body_pos:self.body_pos + 2]
        heading = backend.sensordata[:, self.body_xaxis:self.body_xaxis + 2]
        target = backend.mocap_pos[:, self.mocap["mother"], :2]
        drive, turn = steer_towards(position, heading, target)
        arrived = (target - position).norm(dim=1) < self.follow
        drive = torch.where(arrived, -1.0, drive)
        return self.pilot.steer(backend, drive, turn)
