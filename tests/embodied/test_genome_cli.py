"""`embodied ancestry` -> `embodied genome` -> `embodied train prior.name=genome` on a tiny budget: the newborn
starts from the weights its ancestor's genome decodes."""

import json
import math
from pathlib import Path

import torch

import envs
from agents.genome import genome_state
from agents.inheritance import load_inheritance
from embodied.birth import newborn
from embodied.cli import main
from embodied.config import load_config

SMOKE = str(Path(__file__).resolve().parents[2] / "configs" / "smoke.yaml")


def test_a_newborn_decodes_the_genome_fitted_to_its_ancestor(tmp_path, capsys):
    assert main(["ancestry", SMOKE, f"run_dir={tmp_path}", "name=ancestor", "ancestry.seeds=[1]", "ancestry.steps=64",
                 "--quiet"]) == 0
    ancestor = tmp_path / "ancestor" / "ancestor.pt"
    assert main(["genome", str(ancestor), "hidden=8", "steps=20", "behaviour_steps=0"]) == 0
    out = capsys.readouterr().out
    path = ancestor.parent / "genome.pt"
    genome = load_inheritance(path)
    assert genome.kind == "genome" and f"{genome.bits:,}" in out and "compression" in out
    assert genome.record["genome"]["compression"] > 10 and genome.record["env_steps"] == 64
    behaving = tmp_path / "behaving.pt"
    assert main(["genome", str(ancestor), "hidden=8", "steps=20", "behaviour_steps=3", "observations=8",
                 "--out", str(behaving)]) == 0
    before, after = load_inheritance(behaving).record["genome"]["action_error"]
    assert math.isfinite(before) and math.isfinite(after)

    prior = ["prior.name=genome", f"prior.artifact={path}"]
    cfg = load_config(SMOKE, prior)
    world = envs.make(cfg.world.name, num_envs=1, **cfg.world.model_dump(exclude={"name", "num_envs"}))
    agent = newborn(cfg, world.single_observation_space, world.single_action_space)
    world.close()
    state = agent.state_dict()
    for name, tensor in genome_state(genome).items():
        assert torch.equal(state[name], tensor), name

    assert main(["train", SMOKE, *prior, f"run_dir={tmp_path}", "name=child", "train.total_steps=64",
                 "train.eval_every=64", "--quiet", "--no-video"]) == 0
    assert json.loads((tmp_path / "child" / "summary.json").read_text())["inherited_bits"] == genome.bits


def test_a_bad_genome_option_names_the_valid_ones(tmp_path, capsys):
    assert main(["genome", str(tmp_path / "missing.pt")]) == 2
    assert "not found" in capsys.readouterr().err
    assert main(["genome", str(tmp_path / "missing.pt"), "widht=3"]) == 2
    err = capsys.readouterr().err
    assert "widht" in err and "hidden" in err and "depth" in err
