"""The registered worlds, each composed from a body, an arena and a task."""

from envs.arenas import CliffTable, Pen, Platform, Terrain
from envs.bodies import Critter, Quadruped
from envs.bodies.trot import Trot
from envs.config import WorldConfig
from envs.registry import register
from envs.tasks import Cliff, Escape, Forage, Graze, Imprint, Locomotion, VisualCliff
from envs.world import World


def compose(config: WorldConfig, seed: int, device, body, arena, task) -> World:
    """A world from its parts, with the config's options that every world shares (senses, richness, batch)."""
    return World(body, arena, task, num_envs=config.num_envs, vision_size=config.vision_size,
                 senses=config.world_senses(), richness=config.world_richness(),
                 episode_seconds=config.episode_seconds, seed=seed, backend=config.backend, device=device,
                 threads=config.threads)


def _forage(config: WorldConfig, seed: int, device) -> World:
    return compose(config, seed, device, Critter(eyes=config.eyes, depth=config.depth), Pen(size=config.arena_size),
                   Forage(num_food=config.num_food))


register("Forage", "critter in a walled pen eats food it finds by sight, smell, a food call and touch", _forage,
         task="forage")


def _turning_quadruped(config: WorldConfig) -> Quadruped:
    """A quadruped for tasks that make it turn: its legs also swing sideways, and its scripted trot turns with them,
    slows for turns, eases its commands in and keeps its torso level (in QuadrupedForage it toppled in every world
    within 25 s without the last three; with them in about one world in a hundred within a minute)."""
    return Quadruped(eyes=config.eyes, depth=config.depth, abduction_swing=0.3,
                     trot=Trot(steer=0.0, swerve=0.18, righting=3.0, slowing=1.0, pitching=2.0, halt_pitch=0.4,
                               halt_lean=0.2, ease=2.0))


def _walls_for(body: Quadruped) -> float:
    """Wall height for a quadruped's arena: twice its standing height, above its eyes, so that it neither looks nor
    steps over the walls (the critter's arenas keep their lower walls, four times its height)."""
    return 2 * body.stand_height


def _quadruped_forage(config: WorldConfig, seed: int, device) -> World:
    """A fall is no fatal mistake here and does not end the life: a toppled quadruped lies there (it cannot get up)
    until its life ends, eating nothing."""
    body = _turning_quadruped(config)
    return compose(config, seed, device, body, Pen(size=config.arena_size, wall_height=_walls_for(body)),
                   Forage(num_food=config.num_food))


register("QuadrupedForage", "quadruped in a walled pen eats food it finds by sight, smell, a food call and touch; it"
         " walks on its legs and can fall over", _quadruped_forage, task="forage")


def _quadruped_cliff(config: WorldConfig, seed: int, device) -> World:
    """The scripted animal looks further ahead than the critter (the quadruped's front feet reach 0.16 m ahead of
    its centre, and it eases out of a trot rather than stopping dead) and keeps its centre off the edge (its side feet
    stepped off as it walked along it)."""
    return compose(config, seed, device, _turning_quadruped(config), Platform(size=config.arena_size),
                   Cliff(num_food=config.num_food, lookahead=0.5, keep_off=0.25))


register("QuadrupedCliff", "quadruped forages on a raised platform; a foot off its edge is a fatal fall",
         _quadruped_cliff, task="cliff")


def _imprint(config: WorldConfig, seed: int, device) -> World:
    return compose(config, seed, device, Critter(eyes=config.eyes, depth=config.depth), Pen(size=config.arena_size),
                   Imprint(test=config.held_out))


register("Imprint", "critter reared with one object prefers it to a novel one seen from new viewpoints", _imprint,
         task="imprint")


def _quadruped_imprint(config: WorldConfig, seed: int, device) -> World:
    """The objects are scaled to the body, as a ewe stands over her lamb: 1.5 times the critter's (0.36 m long, 0.39 m
    tall), the mother reaches the eye 0.4 m up and is seen against the wall, not from above against the floor. Its
    snout 0.33 m ahead of its centre (the critter's 0.13 m), the quadruped is with an object within 0.7 m of its stand
    (the critter within 0.5 m), and the scripted animal stops 0.65 m from the mother (0.45 to 0.6 m once its eased
    trot has run down) with its nose at her rather than its head through her."""
    body = _turning_quadruped(config)
    return compose(config, seed, device, body, Pen(size=config.arena_size, wall_height=_walls_for(body)),
                   Imprint(test=config.held_out, scale=1.5, near=0.7, follow=0.65))


register("QuadrupedImprint", "quadruped reared with one object follows it and prefers it to a novel one seen from"
         " new viewpoints, as foals and lambs do their mother", _quadruped_imprint, task="imprint")


def _escape(config: WorldConfig, seed: int, device) -> World:
    return compose(config, seed, device, Critter(eyes=config.eyes, depth=config.depth), Pen(size=config.arena_size),
                   Escape(num_food=config.num_food))


register("Escape", "critter forages out from a nest and flees back to it when a predator looms overhead (Yilmaz and"
         " Meister 2013)", _escape, task="escape")


def _quadruped_escape(config: WorldConfig, seed: int, device) -> World:
    """The nest is scaled to the body: its floor (0.7 m square) holds the quadruped's 0.55 m length, its skirt
    (from 0.46 m) clears its head and eyes (0.40 m) and its roof stays under the walls. The predator strikes 10 s
    after onset, not 5 s: the scripted quadruped turns on the spot at about 33 degrees a second (the critter at 170)
    and trots at about 0.4 m/s, so turning back to the nest alone takes it some 5 s, and at 5 s it escaped a third to
    half of the looms."""
    body = _turning_quadruped(config)
    return compose(config, seed, device, body, Pen(size=config.arena_size, wall_height=_walls_for(body)),
                   Escape(num_food=config.num_food, strike_seconds=10.0, nest_half=0.35, nest_roof=0.56,
                          nest_skirt=0.46))


register("QuadrupedEscape", "quadruped forages out from a nest scaled to it and flees back to it when a predator looms"
         " overhead", _quadruped_escape, task="escape")


def _cliff(config: WorldConfig, seed: int, device) -> World:
    return compose(config, seed, device, Critter(eyes=config.eyes, depth=config.depth, falls=True),
                   Platform(size=config.arena_size), Cliff(num_food=config.num_food))


register("Cliff", "critter forages on a raised platform; walking off its edge is a fatal fall", _cliff, task="cliff")


def _visual_cliff(config: WorldConfig, seed: int, device) -> World:
    return compose(config, seed, device, Critter(eyes=config.eyes, depth=config.depth, falls=True), CliffTable(),
                   VisualCliff())


register("VisualCliff", "critter on a centre board steps off onto the shallow rather than the deep side of a glass"
         " table (Gibson and Walk 1960)", _visual_cliff, task="cliff")


def _quadruped_visual_cliff(config: WorldConfig, seed: int, device) -> World:
    """The table is scaled to the body, as Gibson and Walk's was for kids and lambs: the board is wider than the
    quadruped is long (it stands wholly on it, facing any way), and the start keeps it far enough from the walls to
    turn on the spot."""
    body = _turning_quadruped(config)
    table = CliffTable(half_length=1.4, half_width=0.8, board_half=0.4, wall_height=_walls_for(body))
    return compose(config, seed, device, body, table, VisualCliff(start_margin=0.45))


register("QuadrupedVisualCliff", "quadruped on a centre board steps off onto the shallow rather than the deep side of"
         " a glass table, as kids and lambs did (Gibson and Walk 1960)", _quadruped_visual_cliff, task="cliff")


ROUGHNESS = 0.08  # metres from the lowest to the highest ground of WalkRough: over a quarter of the legs' length


def _walk(roughness: float):
    def build(config: WorldConfig, seed: int, device) -> World:
        """Rough ground is drawn from the world's seed: held-out evaluation worlds walk on ground never seen."""
        return compose(config, seed, device, Quadruped(eyes=config.eyes, depth=config.depth),
                       Terrain(roughness=roughness, seed=seed), Locomotion())
    return build


register("Walk", "quadruped walks forward over flat ground, as a foal stands and follows within hours of birth"
         " (Austin 2013); a fall ends its life", _walk(0.0), task="locomotion")
register("WalkRough", f"quadruped walks forward over rough ground ({ROUGHNESS} m bumps, new ground per seed); a fall"
         " ends its life", _walk(ROUGHNESS), task="locomotion")


def _graze(config: WorldConfig, seed: int, device) -> World:
    """The walking quadruped of Walk on open, flat ground; food lies in a patch `arena_size` metres wide around its
    snout that moves with it (see `envs.tasks.graze`)."""
    return compose(config, seed, device, Quadruped(eyes=config.eyes, depth=config.depth), Terrain(),
                   Graze(num_food=config.num_food, patch=config.arena_size))


register("Graze", "quadruped of Walk grazes on open pasture: food all around, found by sight, smell, a food call and"
         " eaten with the snout, as foals nibble grass from their first day; a fall ends its life", _graze,
         task="forage")
