"""Forage: food lies at random places in the pen; touching one with the snout eats it (+1) and it
reappears elsewhere. Its probe is food eaten per simulated minute, as in studies of how quickly
newborn chicks learn to find and peck at food (e.g. Hogan 1973).

Food smells, each item with a plume of its own, and one item calls in bouts, as a hen's food call draws
her chicks to a tidbit (Moffatt and Hogan 1992)."""

from dataclasses import dataclass, field

import mujoco
import torch

from envs.constants import constant
from envs.senses import ODOURS, Odours, Sounds
from envs.tasks.steering import steer_towards
from envs.tasks.task import Task

MIN_RESPAWN_DISTANCE = 0.5  # metres from the snout: food never appears in the animal's mouth
FOOD_CALL_DB = (60.0, 50.0, 30.0)  # per hearing band at 1 m: low-pitched clucks
CALL_PERIOD, CALL_DUTY = 2.0, 0.5  # seconds from one bout of calling to the next; the fraction spent calling


@dataclass
class Forage(Task):
    probe_name = "food_per_minute"
    probe_signals = ("food_eaten",)

    num_food: int = 5
    food_radius: float = 0.07
    snout_reach: float = 0.04  # the snout's touch zone beyond the food's surface
    plume_seed: torch.Tensor | None = field(default=None, init=False, repr=False)  # [N, num_food], new per item
    call_phase: torch.Tensor | None = field(default=None, init=False, repr=False)  # [N]: where in its bout cycle

    def build(self, spec: mujoco.MjSpec, body, arena) -> None:
        self.body, self.arena = body, arena
        for index in range(self.num_food):
            food = spec.worldbody.add_body(name=f"food{index}", mocap=True, pos=[0, 0, self.food_radius])
            food.add_geom(name=f"food{index}", type=mujoco.mjtGeom.mjGEOM_SPHERE, size=[self.food_radius, 0, 0],
                          rgba=[0.85, 0.1, 0.1, 1], contype=0, conaffinity=0)
        spec.add_sensor(name="forage/clock", type=mujoco.mjtSensor.mjSENS_CLOCK)

    def bind(self, model: mujoco.MjModel) -> None:
        self.food_ids = torch.as_tensor([model.body(f"food{i}").mocapid[0] for i in range(self.num_food)])
        self.food_geoms = torch.as_tensor([model.geom(name).id for name in self.objects()])
        self.pilot = self.body.pilot(model)
        self.snout = int(model.sensor("pose/snout_pos").adr[0])
        self.body_pos = int(model.sensor("pose/body_pos").adr[0])
        self.body_xaxis = int(model.sensor("pose/body_xaxis").adr[0])
        self.qpos0 = torch.as_tensor(model.qpos0)
        self.clock = int(model.sensor("forage/clock").adr[0])

    @staticmethod
    def _random(shape: tuple[int, ...], generator: torch.Generator) -> torch.Tensor:
        """Uniform draws in [0, 1) where the generator lives (the backend's device)."""
        return torch.rand(shape, generator=generator, dtype=torch.float64, device=generator.device)

    def _uniform(self, shape: tuple[int, ...], margin: float, generator: torch.Generator) -> torch.Tensor:
        half = self.arena.half - margin
        return (self._random(shape, generator) * 2 - 1) * half

    def _sample_food(self, backend, snout_xy: torch.Tensor, count: int, generator: torch.Generator) -> torch.Tensor:
        """Food positions [n, count, 3] away from the snout (a few vectorised tries, then accept)."""
        xy = self._uniform((len(snout_xy), count, 2), 0.15, generator)
        for _ in range(8):
            close = (xy - snout_xy[:, None]).norm(dim=-1) < MIN_RESPAWN_DISTANCE
            if not backend.maybe_any(close):
                break
            xy = torch.where(close[..., None], self._uniform(xy.shape, 0.15, generator), xy)
        z = torch.full((*xy.shape[:2], 1), self.food_radius, dtype=xy.dtype, device=xy.device)
        return torch.cat([xy, z], dim=-1)

    def reset(self, backend, mask: torch.Tensor, generator: torch.Generator) -> None:
        n = backend.num_envs
        qpos = self.qpos0.repeat(n, 1)
        xy = self._uniform((n, 2), 0.3, generator)
        yaw = (self._random((n,), generator) * 2 - 1) * torch.pi
        self.pilot.place(qpos, xy, yaw, ground=getattr(self.arena, "surface", 0.0))  # a platform's top, or the floor
        mocap = backend.mocap_pos.clone()
        mocap[:, self.food_ids] = self._sample_food(backend, xy, self.num_food, generator).to(mocap)
        backend.write(mask, qpos=qpos, qvel=torch.zeros_like(backend.qvel), mocap_pos=mocap)
        if self.plume_seed is None:
            self.plume_seed = torch.zeros(n, self.num_food, dtype=torch.float64, device=mask.device)
            self.call_phase = torch.zeros(n, dtype=torch.float64, device=mask.device)
        self.plume_seed = torch.where(mask[:, None], self._random((n, self.num_food), generator), self.plume_seed)
        self.call_phase = torch.where(mask, self._random((n,), generator), self.call_phase)

    def step(self, backend, generator: torch.Generator) -> tuple[torch.Tensor, torch.Tensor, dict]:
        snout = backend.sensordata[:, self.snout:self.snout + 2]
        food = backend.mocap_pos[:, self.food_ids, :2]
        radius = backend.model_field("geom_size")[:, self.food_geoms, 0]  # per world: appearance may vary it
        eaten = (food - snout[:, None]).norm(dim=-1) < radius + self.snout_reach
        ate = eaten.any(dim=1)
        if backend.maybe_any(ate):
            mocap = backend.mocap_pos.clone()
            fresh = self._sample_food(backend, snout, self.num_food, generator).to(mocap)
            mocap[:, self.food_ids] = torch.where(eaten[..., None], fresh, mocap[:, self.food_ids])
            backend.write(ate, mocap_pos=mocap)
            seeds = self._random((backend.num_envs, self.num_food), generator)
            self.plume_seed = torch.where(eaten, seeds, self.plume_seed)
        reward = eaten.sum(dim=1).float()
        return reward, torch.zeros_like(ate), {"food_eaten": reward}

    def objects(self) -> tuple[str, ...]:
        return tuple(f"food{index}" for index in range(self.num_food))

    def odour_sources(self, backend) -> Odours:
        """Every food item releases food odour."""
        food = backend.mocap_pos[:, self.food_ids]
        strength = constant(tuple(float(odour == "food") for odour in ODOURS), food.dtype, food.device)
        return Odours(food, strength.expand(*food.shape[:2], len(ODOURS)), self.plume_seed)

    def sound_sources(self, backend) -> Sounds:
        """The first food item calls for half of every bout cycle; each world's cycle has its own phase."""
        time = backend.sensordata[:, self.clock]
        calling = (time / CALL_PERIOD + self.call_phase) % 1.0 < CALL_DUTY
        level = torch.where(calling[:, None], constant(FOOD_CALL_DB, time.dtype, time.device), -torch.inf)
        return Sounds(backend.mocap_pos[:, self.food_ids[:1]], level[:, None])

    def probe(self, signals: dict[str, torch.Tensor], dt: float) -> float:
        """Food eaten per simulated minute, averaged over the worlds."""
        eaten = signals["food_eaten"]
        return float(eaten.sum()) / eaten.shape[1] / (eaten.shape[0] * dt / 60.0)

    def steering(self, backend) -> tuple[torch.Tensor, torch.Tensor]:
        """The scripted animal's drive and turn [N]: towards the nearest food, slowing for sharp turns."""
        position = backend.sensordata[:, self.body_pos:self.body_pos + 2]
        heading = backend.sensordata[:, self.body_xaxis:self.body_xaxis + 2]
        food = backend.mocap_pos[:, self.food_ids, :2]
        nearest = food[torch.arange(len(food), device=food.device), (food - position[:, None]).norm(dim=-1).argmin(1)]
        return steer_towards(position, heading, nearest)

    def reference_action(self, backend) -> torch.Tensor:
        """The body's actions for the scripted steering: the critter's own, the quadruped's trot (righting itself
        as it goes)."""
        return self.pilot.steer(backend, *self.steering(backend))
