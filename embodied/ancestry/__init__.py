"""The ancestral phase: ancestors learn over many worlds other than the newborn's, standing in for evolution,
and leave an inheritance artifact (agents/inheritance.py) that a prior passes on at birth.

A method (`ancestry.method`) makes the ancestor: `ppo` pre-trains one by gradient through the ancestral worlds,
`es` evolves its weights or its Hebbian rule by evolution strategies. The artifact holds the ancestor's state dict
(kind "weights") or its evolved rule (kind "rule"), the network it fits, its size in bits and a record of the
ancestry (config, worlds, seeds, steps, final probe score).

An ancestry checkpoints as it goes (embodied/ancestry/progress.py says what every checkpoint holds), and
`resume_ancestry` goes on with a killed one from its last checkpoint.
"""

import time
from collections.abc import Callable
from pathlib import Path

import torch

from agents.actor_critic import ActorCritic
from agents.inheritance import Inheritance, load_inheritance, signature
from agents.learning_rules.hebbian import rule_state
from embodied.ancestry.es import check_genes, evolve_by_es
from embodied.ancestry.ppo import pretrain_by_ppo
from embodied.ancestry.progress import check_progress, finished
from embodied.ancestry.stages import Stage, ancestral_stages, check_one_body
from embodied.config import RunConfig
from embodied.run_folder import RunFolder, atomic_write

Method = Callable[[RunConfig, RunFolder, list[Stage], bool, tuple[dict, int] | None], tuple[ActorCritic, list[dict]]]

METHODS: dict[str, Method] = {
    "ppo": pretrain_by_ppo,
    "es": evolve_by_es,
}


def run_ancestry(cfg: RunConfig, progress: bool = True) -> tuple[Path, Inheritance]:
    """Live the ancestry of `cfg` in a new run folder and write its artifact; returns where and what it is.
    The config is checked (worlds, seeds, one body) before anything is written."""
    stages = checked_stages(cfg)
    if cfg.name is None:
        cfg = cfg.model_copy(update={"name": f"ancestry-{cfg.world.name}-{time.strftime('%Y%m%d-%H%M%S')}"})
    run = RunFolder.create(cfg)
    print(f"ancestry run folder: {run.path}", flush=True)
    return _live(cfg, run, stages, None, progress)


def resume_ancestry(path: str | Path, progress: bool = True) -> tuple[Path, Inheritance, bool]:
    """Go on with the ancestry in the run folder `path` from its last checkpoint (from its start if it wrote none
    yet), as if it had never stopped; returns its artifact, and whether the ancestry had already finished (then
    nothing is lived again)."""
    run = RunFolder.open(path)
    cfg = run.config()
    stages = checked_stages(cfg)
    latest = run.load_latest()
    if latest is not None:
        check_progress(latest[0], cfg, f"the checkpoint of step {latest[1]} in {run.checkpoints_dir}")
        artifact = artifact_path(cfg, run)
        if finished(latest[0]) and artifact.is_file():
            inheritance = load_inheritance(artifact)
            if inheritance.record.get("config") == cfg.model_dump(mode="json"):
                return artifact, inheritance, True
    step = latest[1] if latest else 0
    print(f"ancestry run folder: {run.path} (resumed at env step {step})", flush=True)
    return (*_live(cfg, run, stages, latest, progress), False)


def checked_stages(cfg: RunConfig) -> list[Stage]:
    """The ancestry's stretches, once its worlds, seeds, genes and body are checked."""
    stages = ancestral_stages(cfg)
    if cfg.ancestry.method == "es":
        check_genes(cfg)
    worlds = {stage.world.model_dump_json(): stage.world for stage in stages}
    if len(worlds) > 1:
        check_one_body(list(worlds.values()))
    return stages


def artifact_path(cfg: RunConfig, run: RunFolder) -> Path:
    return Path(cfg.ancestry.artifact) if cfg.ancestry.artifact else run.path / "ancestor.pt"


def _live(cfg: RunConfig, run: RunFolder, stages: list[Stage], resume: tuple[dict, int] | None,
          progress: bool) -> tuple[Path, Inheritance]:
    """The ancestry in `run` (from the checkpoint `resume`, if any) and the artifact it leaves; the run folder is this
    process's meanwhile (see `RunFolder.held`)."""
    with run.held():
        ancestor, stage_records = METHODS[cfg.ancestry.method](cfg, run, stages, progress, resume)
    rule = cfg.ancestry.method == "es" and cfg.ancestry.es.evolve == "rule"
    passed_on = rule_state(ancestor) if rule else ancestor.state_dict()
    tensors = {name: tensor.detach().cpu().clone() for name, tensor in passed_on.items()}
    last = stage_records[-1]
    record = {"config": cfg.model_dump(mode="json"), "method": cfg.ancestry.method, "stages": stage_records,
              "env_steps": last["env_steps"], "life_seconds": last["life_seconds"], "probe": last["probe"],
              "final_score": last["final_score"]}
    inheritance = Inheritance("rule" if rule else "weights", tensors, signature(ancestor), state_bits(tensors), record)
    path = artifact_path(cfg, run)
    path.parent.mkdir(parents=True, exist_ok=True)
    atomic_write(path, lambda f: torch.save(inheritance.state(), f))
    return path, inheritance


def state_bits(tensors: dict[str, torch.Tensor]) -> int:
    """The size of a state dict as saved: every element at its own precision."""
    return sum(t.numel() * t.element_size() * 8 for t in tensors.values())
