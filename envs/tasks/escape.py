"""Escape: forage in the open, and flee to the shelter when a predator looms.

Naive mice, on their first exposure to a dark disc expanding overhead, run to their nest within about a second
(Yilmaz and Meister 2013, Current Biology): an innate defence, triggered by looming alone. Here a roofed nest
stands against a wall of the pen and food lies about as in forage, so the animal has reason to leave the nest.
Once the animal is out in the open (at least `open_distance` from the nest) and a random wait has passed, a
predator looms in its view (see `envs.tasks.predator`); it is heard and smelled as well as seen. Reaching the
nest before the predator reaches the animal is an escape (rewarded; the predator withdraws); being reached
outside is being caught, which ends the life with a penalty. The next wait begins when a loom ends. The pen is
wider than the mice's box and the critter slower than a mouse, so the predator strikes 5 s after onset rather than
within a second or two (`strike_seconds`: a body that turns and runs slower gets longer). A self-lit sky
(`envs.tasks.sky`) stands in for the experiments' bright overhead screen.

The probe is the escape probability: escapes over the looms that ended (in an escape or a catch; a loom cut
short by the end of a life or of the evaluation counts neither way). An evaluation without a loom scores 0: an
animal that never leaves the nest shows no escape. `measures` adds the latency from onset to shelter.
"""

import math
from dataclasses import dataclass, field

import mujoco
import torch

from envs.senses import ODOURS, Odours, Sounds
from envs.tasks import predator, shelter
from envs.tasks.forage import Forage
from envs.tasks.sky import add_sky, keep_near_clip
from envs.tasks.steering import steer_towards

CLOCK_SLACK = 1e-6  # seconds: the clock sums timesteps, so a whole number of steps may fall a hair short


@dataclass
class Escape(Forage):
    probe_name = "escape_probability"
    probe_signals = ("food_eaten", "loom_onset", "escaped", "caught", "escape_latency")
    fatal_signal = "caught"

    escape_reward: float = 1.0
    catch_penalty: float = 5.0
    open_distance: float = 0.5  # metres from the nest: no loom nearer than this
    wait_seconds: tuple[float, float] = (2.0, 8.0)  # from a life's start or a loom's end to the next loom, at least
    strike_seconds: float = predator.STRIKE_SECONDS  # from onset until a predator reaches an animal in the open
    nest_half: float = shelter.HALF  # metres: half the side of the nest's floor (see `envs.tasks.shelter`)
    nest_roof: float = shelter.ROOF  # metres: the roof's height, under the walls
    nest_skirt: float = shelter.SKIRT  # metres: the bottom of the roof's skirt, above the animal's eye
    looming: torch.Tensor | None = field(default=None, init=False, repr=False)  # [N] a predator hunts

    def build(self, spec, body, arena) -> None:
        super().build(spec, body, arena)
        shelter.add_shelter(spec, half=self.nest_half, roof=self.nest_roof, skirt=self.nest_skirt)
        predator.add_predator(spec)
        add_sky(spec, arena.half)
        self.eyes = [camera.name for camera in spec.body(body.head).cameras]
        camera = mujoco.mjtObj.mjOBJ_CAMERA
        for eye in self.eyes:  # where each eye is and looks: the predator appears in the view of one of them
            spec.add_sensor(name=f"escape/{eye}_pos", type=mujoco.mjtSensor.mjSENS_FRAMEPOS, objtype=camera,
                            objname=eye)
            spec.add_sensor(name=f"escape/{eye}_zaxis", type=mujoco.mjtSensor.mjSENS_FRAMEZAXIS, objtype=camera,
                            objname=eye)

    def bind(self, model) -> None:
        super().bind(model)
        keep_near_clip(model)
        self.nest = int(model.body("shelter").mocapid[0])
        self.predator = int(model.body("predator").mocapid[0])
        self.eye_pos = torch.as_tensor([model.sensor(f"escape/{eye}_pos").adr[0] for eye in self.eyes])
        self.eye_zaxis = torch.as_tensor([model.sensor(f"escape/{eye}_zaxis").adr[0] for eye in self.eyes])

    def _allocate(self, num_envs: int) -> None:
        self.looming = torch.zeros(num_envs, dtype=torch.bool)
        self.onset = torch.zeros(num_envs, dtype=torch.float64)  # simulated time of the loom's onset
        self.ready = torch.zeros(num_envs, dtype=torch.float64)  # no onset before this simulated time
        self.bearing = torch.zeros(num_envs, 3, dtype=torch.float64)  # unit: eye to predator
        self.eye = torch.zeros(num_envs, dtype=torch.long)  # which eye it appeared to
        self.nest_xy = torch.zeros(num_envs, 2, dtype=torch.float64)
        self.predator_seed = torch.zeros(num_envs, dtype=torch.float64)

    def _wait(self, n: int, generator: torch.Generator) -> torch.Tensor:
        low, high = self.wait_seconds
        return low + (high - low) * torch.rand(n, generator=generator, dtype=torch.float64)

    def reset(self, backend, env_ids: torch.Tensor, generator: torch.Generator) -> None:
        """As in forage, with the nest against a random wall, no food under it, and no predator for a while."""
        super().reset(backend, env_ids, generator)
        if self.looming is None:
            self._allocate(backend.num_envs)
        n = len(env_ids)
        centre, quat = shelter.place_shelters(n, self.arena.half, generator, half=self.nest_half)
        self.nest_xy[env_ids] = centre
        self.looming[env_ids] = False
        self.ready[env_ids] = self._wait(n, generator)
        mocap_pos, mocap_quat = backend.mocap_pos[env_ids].clone(), backend.mocap_quat[env_ids].clone()
        mocap_pos[:, self.nest, :2], mocap_pos[:, self.nest, 2] = centre, 0.0
        mocap_quat[:, self.nest] = quat
        mocap_pos[:, self.predator] = torch.tensor(predator.HIDDEN, dtype=mocap_pos.dtype)
        backend.write(env_ids, mocap_pos=mocap_pos, mocap_quat=mocap_quat)
        self._food_out_of_nest(backend, env_ids, generator)

    def _food_out_of_nest(self, backend, env_ids: torch.Tensor, generator: torch.Generator) -> None:
        """Draw again any food that lies under the nest (a few vectorised tries)."""
        for _ in range(8):
            food = backend.mocap_pos[env_ids][:, self.food_ids, :2]
            margin = self.nest_half + self.food_radius
            under = ((food - self.nest_xy[env_ids, None]).abs() < margin).all(dim=-1)  # [n, food]
            if not under.any():
                return
            rows = under.any(dim=1)
            ids = env_ids[rows]
            snout = backend.sensordata[ids, self.snout:self.snout + 2]
            mocap = backend.mocap_pos[ids].clone()
            fresh = self._sample_food(snout, self.num_food, generator)
            mocap[:, self.food_ids] = torch.where(under[rows, :, None], fresh, mocap[:, self.food_ids])
            backend.write(ids, mocap_pos=mocap)

    def step(self, backend, generator: torch.Generator) -> tuple[torch.Tensor, torch.Tensor, dict]:
        reward, _, signals = super().step(backend, generator)
        everyone = torch.arange(backend.num_envs)
        self._food_out_of_nest(backend, everyone, generator)
        time = backend.sensordata[:, self.clock]
        position = backend.sensordata[:, self.body_pos:self.body_pos + 2]
        outside = shelter.outside_distance(position, self.nest_xy, half=self.nest_half)
        since = time - self.onset
        escaped = self.looming & (outside == 0)
        caught = self.looming & ~escaped & (since >= self.strike_seconds - CLOCK_SLACK)
        latency = torch.where(escaped, since, 0.0)
        ended = escaped | caught
        self.looming &= ~ended
        self.ready[ended] = time[ended] + self._wait(int(ended.sum()), generator)

        onset = ~self.looming & (time >= self.ready) & (outside >= self.open_distance)
        if onset.any():
            self._start_looms(backend, onset.nonzero().squeeze(1), time, generator)
        self._move_predators(backend, ended)
        reward = reward + self.escape_reward * escaped.float() - self.catch_penalty * caught.float()
        return reward, caught, {**signals, "loom_onset": onset.float(), "escaped": escaped.float(),
                                "caught": caught.float(), "escape_latency": latency.float()}

    def _start_looms(self, backend, env_ids: torch.Tensor, time: torch.Tensor, generator: torch.Generator) -> None:
        n = len(env_ids)
        eye = torch.randint(0, len(self.eyes), (n,), generator=generator)
        zaxis = backend.sensordata[env_ids[:, None], self.eye_zaxis[eye][:, None] + torch.arange(3)]
        self.bearing[env_ids] = predator.approach(-zaxis, generator)  # a camera looks along its -z
        self.eye[env_ids] = eye
        self.onset[env_ids] = time[env_ids]
        self.looming[env_ids] = True
        self.predator_seed[env_ids] = torch.rand(n, generator=generator, dtype=torch.float64)

    def _move_predators(self, backend, ended: torch.Tensor) -> None:
        """Put each hunting predator on its bearing from the eye it appeared to; hide those whose loom ended.
        Drawn from the next step on (no forward pass: the eyes see it one control step late)."""
        moved = self.looming | ended
        if not moved.any():
            return
        env_ids = moved.nonzero().squeeze(1)
        mocap = backend.mocap_pos[env_ids].clone()
        since = backend.sensordata[env_ids, self.clock] - self.onset[env_ids]
        eye = backend.sensordata[env_ids[:, None], self.eye_pos[self.eye[env_ids]][:, None] + torch.arange(3)]
        hunting = eye + predator.distance(since, self.strike_seconds)[:, None] * self.bearing[env_ids]
        hidden = torch.tensor(predator.HIDDEN, dtype=mocap.dtype)
        mocap[:, self.predator] = torch.where(self.looming[env_ids, None], hunting, hidden)
        backend.write(env_ids, mocap_pos=mocap, forward=False)

    def odour_sources(self, backend) -> Odours:
        """Food as in forage, and the predator while it hunts."""
        food = super().odour_sources(backend)
        strength = torch.zeros(backend.num_envs, 1, len(ODOURS), dtype=food.strength.dtype)
        strength[:, 0, ODOURS.index("predator")] = predator.ODOUR * self.looming.to(strength.dtype)
        return Odours(torch.cat([food.position, backend.mocap_pos[:, self.predator:self.predator + 1]], dim=1),
                      torch.cat([food.strength, strength], dim=1),
                      torch.cat([food.seed, self.predator_seed[:, None]], dim=1))

    def sound_sources(self, backend) -> Sounds:
        """The food call as in forage, and the predator's wingbeats while it hunts."""
        call = super().sound_sources(backend)
        level = torch.where(self.looming[:, None], torch.tensor(predator.SOUND_DB, dtype=call.level.dtype), -math.inf)
        return Sounds(torch.cat([call.position, backend.mocap_pos[:, self.predator:self.predator + 1]], dim=1),
                      torch.cat([call.level, level[:, None]], dim=1))

    def probe(self, signals: dict[str, torch.Tensor], dt: float) -> float:
        """Escapes over the looms that ended in an escape or a catch; 0 without any."""
        escapes, catches = float(signals["escaped"].sum()), float(signals["caught"].sum())
        return escapes / (escapes + catches) if escapes + catches else 0.0

    def measures(self, signals: dict[str, torch.Tensor], dt: float) -> dict[str, float]:
        """The probe; the mean latency from onset to shelter in seconds over escapes (NaN without any); looms and
        food eaten per simulated minute per world (a nest-sitter sees no loom and eats nothing)."""
        escaped = signals["escaped"]
        escapes = float(escaped.sum())
        minutes = escaped.shape[0] * dt / 60.0 * escaped.shape[1]
        return {"escape_probability": self.probe(signals, dt),
                "escape_latency": float(signals["escape_latency"].sum()) / escapes if escapes else math.nan,
                "looms_per_minute": float(signals["loom_onset"].sum()) / minutes,
                "food_per_minute": super().probe(signals, dt)}

    def steering(self, backend) -> tuple[torch.Tensor, torch.Tensor]:
        """Forage as in forage; while a predator hunts, run to the nest's middle."""
        drive, turn = super().steering(backend)
        position = backend.sensordata[:, self.body_pos:self.body_pos + 2]
        heading = backend.sensordata[:, self.body_xaxis:self.body_xaxis + 2]
        flee_drive, flee_turn = steer_towards(position, heading, self.nest_xy)
        return torch.where(self.looming, flee_drive, drive), torch.where(self.looming, flee_turn, turn)
