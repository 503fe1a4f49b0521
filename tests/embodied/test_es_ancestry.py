"""`embodied ancestry ... ancestry.method=es` end to end: evolved weights and an evolved Hebbian rule, each an
artifact that a newborn is born from."""

from pathlib import Path

import pytest
import torch

import envs
from agents.inheritance import load_inheritance
from agents.learning_rules.hebbian import hebbian_layers, rule_state
from embodied.birth import newborn
from embodied.cli import main
from embodied.config import load_config

SMOKE = str(Path(__file__).resolve().parents[2] / "configs" / "smoke.yaml")
SMELL = ["world.senses=[smell]", "agent.vector_hidden=8", "agent.latent=8", "eval.seconds=1"]
ES = ["ancestry.method=es", "ancestry.seeds=[1,2]", "ancestry.es.population=4", "ancestry.es.generations=2",
      "ancestry.es.episode_steps=5", *SMELL]


def born(cfg):
    world = envs.make(cfg.world.name, num_envs=1, **cfg.world.model_dump(exclude={"name", "num_envs"}))
    try:
        torch.manual_seed(cfg.seed)
        return newborn(cfg, world.single_observation_space, world.single_action_space)
    finally:
        world.close()


def test_es_evolves_weights_into_an_artifact_a_newborn_inherits(tmp_path):
    assert main(["ancestry", SMOKE, *ES, f"run_dir={tmp_path}", "name=es", "--quiet"]) == 0
    artifact = load_inheritance(tmp_path / "es" / "ancestor.pt")
    assert artifact.kind == "weights"
    assert [stage["seed"] for stage in artifact.record["stages"]] == [1, 2]
    assert artifact.record["env_steps"] == 2 * 4 * 5 and artifact.record["method"] == "es"
    assert "es/fitness_mean" in (tmp_path / "es" / "metrics.csv").read_text()
    path = tmp_path / "es" / "ancestor.pt"
    agent = born(load_config(SMOKE, [*SMELL, "prior.name=inherit", f"prior.artifact={path}"]))
    for name, tensor in agent.state_dict().items():
        assert torch.equal(tensor, artifact.tensors[name]), name


def test_es_evolves_a_hebbian_rule_that_a_newborn_is_born_with(tmp_path):
    hebbian = ["agent.learning_rule=hebbian"]
    assert main(["ancestry", SMOKE, *ES, *hebbian, "ancestry.es.evolve=rule", f"run_dir={tmp_path}", "name=rule",
                 "--quiet"]) == 0
    path = tmp_path / "rule" / "ancestor.pt"
    artifact = load_inheritance(path)
    assert artifact.kind == "rule"
    assert artifact.bits == 32 * sum(t.numel() for t in artifact.tensors.values())
    blank = born(load_config(SMOKE, [*SMELL, *hebbian]))
    agent = born(load_config(SMOKE, [*SMELL, *hebbian, "prior.name=hebbian", f"prior.artifact={path}"]))
    assert agent.inherited_bits == artifact.bits
    assert rule_state(agent).keys() == artifact.tensors.keys()
    for name, tensor in rule_state(agent).items():
        assert torch.equal(tensor, artifact.tensors[name]) and not torch.equal(tensor, rule_state(blank)[name])
    for mine, blanks in zip(hebbian_layers(agent), hebbian_layers(blank), strict=True):
        assert torch.equal(mine.weight, blanks.weight)  # the weights are the newborn's own, not inherited
    args = [f"run_dir={tmp_path}", "train.total_steps=64", "train.eval_every=64", "--quiet", "--no-video"]
    assert main(["train", SMOKE, *SMELL, *hebbian, "prior.name=hebbian", f"prior.artifact={path}", "name=child",
                 *args]) == 0


@pytest.mark.parametrize("argument, message", [
    ("ancestry.es.evolve=rule", "no layer of the agent is Hebbian"),
    ("ancestry.es.population=3", "even population"),
])
def test_a_bad_es_ancestry_is_an_error_before_anything_is_written(tmp_path, capsys, argument, message):
    assert main(["ancestry", SMOKE, *ES, argument, f"run_dir={tmp_path}", "--quiet"]) == 2
    assert message in capsys.readouterr().err
    assert not list(tmp_path.iterdir())
