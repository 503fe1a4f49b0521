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

from envs.bodies.eyes import keep_near_clip
from envs.constants import constant
from envs.senses import ODOURS, Odours, Sounds
from envs.tasks import predator, shelter
from envs.tasks.forage import Forage
from envs.tasks.sky import add_sky
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

    def _allocate(self, num_envs: int, device: torch.device) -> None:
        state = dict(dtype=torch.float64, device=device)
        self.looming = torch.zeros(num_envs, dtype=torch.bool, device=device)
        self.onset = torch.zeros(num_envs, **state)  # simulated time of the loom's onset
        self.ready = torch.zeros(num_envs, **state)  # no onset before this simulated time
        self.bearing = torch.zeros(num_envs, 3, **state)  # unit: eye to predator
        self.eye = torch.zeros(num_envs, dtype=torch.long, device=device)  # which eye it appeared to
        self.nest_xy = torch.zeros(num_envs, 2, **state)
        self.predator_seed = torch.zeros(num_envs, **state)
        self.everyone = torch.ones(num_envs, dtype=torch.bool, device=device)
        self.worlds = torch.arange(num_envs, device=device)[:, None]

    def _wait(self, n: int, generator: torch.Generator) -> torch.Tensor:
        low, high = self.wait_seconds
        return low + (high - low) * self._random((n,), generator)

    def reset(self, backend, mask: torch.Tensor, generator: torch.Generator) -> None:
        """As in forage, with the nest against a random wall, no food under it, and no predator for a while."""
        super().reset(backend, mask, generator)
        n = backend.num_envs
        if self.looming is None:
            self._allocate(n, mask.device)
        centre, quat = shelter.place_shelters(n, self.arena.half, generator, half=self.nest_half)
        self.nest_xy = torch.where(mask[:, None], centre, self.nest_xy)
        self.looming = self.looming & ~mask
        self.ready = torch.where(mask, self._wait(n, generator), self.ready)
        mocap_pos, mocap_quat = backend.mocap_pos.clone(), backend.mocap_quat.clone()
        mocap_pos[:, self.nest] = torch.cat([centre, torch.zeros_like(centre[:, :1])], dim=1).to(mocap_pos)
        mocap_quat[:, self.nest] = quat.to(mocap_quat)
        mocap_pos[:, self.predator] = constant(predator.HIDDEN, mocap_pos.dtype, mocap_pos.device)
        backend.write(mask, mocap_pos=mocap_pos, mocap_quat=mocap_quat)
        self._food_out_of_nest(backend, mask, generator)

    def _food_out_of_nest(self, backend, mask: torch.Tensor, generator: torch.Generator) -> None:
        """Draw again any food that lies under the nest in the worlds in `mask` (a few vectorised tries, then one
        write)."""
        food = backend.mocap_pos[:, self.food_ids].clone()
        snout = backend.sensordata[:, self.snout:self.snout + 2]
        margin = self.nest_half + self.food_radius
        moved = torch.zeros_like(food[..., 0], dtype=torch.bool)
        for _ in range(8):
            under = ((food[..., :2] - self.nest_xy[:, None]).abs() < margin).all(dim=-1) & mask[:, None]  # [N, food]
            if not backend.maybe_any(under):
                break
            fresh = self._sample_food(backend, snout, self.num_food, generator).to(food)
            food = torch.where(under[..., None], fresh, food)
            moved |= under
        rows = moved.any(dim=1)
        if backend.maybe_any(rows):
            mocap = backend.mocap_pos.clone()
            mocap[:, self.food_ids] = food
            backend.write(rows, mocap_pos=mocap)

    def step(self, backend, generator: torch.Generator) -> tuple[torch.Tensor, torch.Tensor, dict]:
        reward, _, signals = super().step(backend, generator)
        self._food_out_of_nest(backend, self.everyone, generator)
        time = backend.sensordata[:, self.clock]
        position = backend.sensordata[:, self.body_pos:self.body_pos + 2]
        outside = shelter.outside_distance(position, self.nest_xy, half=self.nest_half)
        since = time - self.onset
        escaped = self.looming & (outside == 0)
        caught = self.looming & ~escaped & (since >= self.strike_seconds - CLOCK_SLACK)
        latency = torch.where(escaped, since, 0.0)
        ended = escaped | caught
        self.looming = self.looming & ~ended
        if backend.maybe_any(ended):
            self.ready = torch.where(ended, time + self._wait(backend.num_envs, generator), self.ready)

        onset = ~self.looming & (time >= self.ready) & (outside >= self.open_distance)
        if backend.maybe_any(onset):
            self._start_looms(backend, onset, time, generator)
        self._move_predators(backend, ended)
        reward = reward + self.escape_reward * escaped.float() - self.catch_penalty * caught.float()
        return reward, caught, {**signals, "loom_onset": onset.float(), "escaped": escaped.float(),
                                "caught": caught.float(), "escape_latency": latency.float()}

    def _start_looms(self, backend, onset: torch.Tensor, time: torch.Tensor, generator: torch.Generator) -> None:
        """A predator appears to one eye, drawn at random, in each world of `onset` [N]."""
        n = backend.num_envs
        eye = torch.randint(0, len(self.eyes), (n,), generator=generator, device=generator.device)
        columns = self.eye_zaxis[eye][:, None] + torch.arange(3, device=eye.device)
        sight = -backend.sensordata[self.worlds, columns].double()  # a camera looks along its -z
        self.bearing = torch.where(onset[:, None], predator.approach(sight, generator), self.bearing)
        self.eye = torch.where(onset, eye, self.eye)
        self.onset = torch.where(onset, time, self.onset)
        self.looming = self.looming | onset
        self.predator_seed = torch.where(onset, self._random((n,), generator), self.predator_seed)

    def _move_predators(self, backend, ended: torch.Tensor) -> None:
        """Put each hunting predator on its bearing from the eye it appeared to; hide those whose loom ended.
        Drawn from the next step on (no forward pass: the eyes see it one control step late)."""
        moved = self.looming | ended
        if not backend.maybe_any(moved):
            return
        mocap = backend.mocap_pos.clone()
        since = backend.sensordata[:, self.clock] - self.onset
        columns = self.eye_pos[self.eye][:, None] + torch.arange(3, device=moved.device)
        eye = backend.sensordata[self.worlds, columns]
        hunting = eye + predator.distance(since, self.strike_seconds)[:, None] * self.bearing
        hidden = constant(predator.HIDDEN, mocap.dtype, mocap.device)
        mocap[:, self.predator] = torch.where(self.looming[:, None], hunting.to(mocap), hidden)
        backend.write(moved, mocap_pos=mocap, forward=False)

    def odour_sources(self, backend) -> Odours:
        """Food as in forage, and the predator while it hunts."""
        food = super().odour_sources(backend)
        strength = torch.zeros(backend.num_envs, 1, len(ODOURS), dtype=food.strength.dtype,
                               device=food.strength.device)
        strength[:, 0, ODOURS.index("predator")] = predator.ODOUR * self.looming.to(strength.dtype)
        return Odours(torch.cat([food.position, backend.mocap_pos[:, self.predator:self.predator + 1]], dim=1),
                      torch.cat([food.strength, strength], dim=1),
                      torch.cat([food.seed, self.predator_seed[:, None]], dim=1))

    def sound_sources(self, backend) -> Sounds:
        """The food call as in forage, and the predator's wingbeats while it hunts."""
        call = super().sound_sources(backend)
        sound = constant(predator.SOUND_DB, call.level.dtype, call.level.device)
        level = torch.where(self.looming[:, None], sound, -math.inf)
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
