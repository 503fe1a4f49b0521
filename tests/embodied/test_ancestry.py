"""`embodied ancestry` end to end on a tiny budget, and a newborn that inherits what it wrote."""

from pathlib import Path

import pytest
import torch

import envs
from agents.inheritance import load_inheritance
from embodied.birth import newborn
from embodied.cli import main
from embodied.config import load_config

SMOKE = str(Path(__file__).resolve().parents[2] / "configs" / "smoke.yaml")
TINY = ["ancestry.seeds=[1,2]", "ancestry.steps=128", "video.seconds=0.5"]


@pytest.fixture(scope="module")
def ancestry(tmp_path_factory):
    root = tmp_path_factory.mktemp("ancestry")
    assert main(["ancestry", SMOKE, f"run_dir={root}", "name=ancestor", *TINY, "--quiet"]) == 0
    return root, root / "ancestor" / "ancestor.pt"


def test_ancestry_writes_an_artifact_with_its_bits_and_record(ancestry):
    _, path = ancestry
    artifact = load_inheritance(path)
    assert artifact.kind == "weights"
    assert artifact.bits == sum(32 * t.numel() for t in artifact.tensors.values())
    record = artifact.record
    assert [stage["seed"] for stage in record["stages"]] == [1, 2]
    assert [stage["env_steps"] for stage in record["stages"]] == [64, 128]
    assert record["env_steps"] == 128 and record["probe"] == "probe/food_per_minute"
    assert record["final_score"] == record["stages"][-1]["final_score"] >= 0
    assert record["config"]["ancestry"]["steps"] == 128


def test_a_newborn_starts_from_the_ancestor_and_trains(ancestry, capsys):
    root, path = ancestry
    inherit = ["prior.name=inherit", f"prior.artifact={path}"]
    cfg = load_config(SMOKE, inherit)
    world = envs.make(cfg.world.name, num_envs=1, **cfg.world.model_dump(exclude={"name", "num_envs"}))
    agent = newborn(cfg, world.single_observation_space, world.single_action_space)
    world.close()
    ancestor = load_inheritance(path).tensors
    assert agent.state_dict().keys() == ancestor.keys()
    for name, tensor in agent.state_dict().items():
        assert torch.equal(tensor, ancestor[name]), name

    args = [f"run_dir={root}", "train.total_steps=64", "train.eval_every=64", "--quiet", "--no-video"]
    assert main(["train", SMOKE, *inherit, "prior.bits=4", "name=child", *args]) == 0
    assert "inherited" in capsys.readouterr().out
    assert main(["train", SMOKE, "prior.name=lottery", f"prior.artifact={path}", "prior.keep=0.1", "name=ticket",
                 *args]) == 0


def test_an_artifact_for_another_architecture_stops_train_before_a_run_folder(ancestry, tmp_path, capsys):
    _, path = ancestry
    assert main(["train", SMOKE, "prior.name=inherit", f"prior.artifact={path}", "agent.latent=32",
                 f"run_dir={tmp_path}", "--quiet"]) == 2
    assert "made for another agent" in capsys.readouterr().err
    assert not list(tmp_path.iterdir())


@pytest.mark.parametrize("argument, message", [
    ("ancestry.seeds=[0]", "the run's seed (the newborn's)"),
    ("ancestry.worlds=[{richnes: rich}]", "ancestry.worlds[0]"),
    ("ancestry.worlds=[{name: Nowhere}]", "unknown world 'Nowhere'"),
    ("ancestry.method=darwin", "ancestry.method"),
    ("ancestry.switch_every=10", "less than one PPO update"),
    ("ancestry.worlds=[{}, {senses: [vision]}]", "an ancestor has one body"),
])
def test_a_bad_ancestry_is_an_error_before_anything_is_written(tmp_path, capsys, argument, message):
    assert main(["ancestry", SMOKE, argument, f"run_dir={tmp_path}", "--quiet"]) == 2
    assert message in capsys.readouterr().err
    assert not list(tmp_path.iterdir())
