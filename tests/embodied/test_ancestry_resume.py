"""A killed ancestry loses nothing: `embodied ancestry --resume DIR` goes on from its last checkpoint and leaves
the artifact that an uninterrupted ancestry of the same config and seed leaves."""

import itertools
from pathlib import Path

import pytest
import torch

from agents.evolution import EvolutionStrategy
from agents.inheritance import load_inheritance
from agents.ppo import PPO
from embodied.cli import main
from embodied.metrics import read_metrics

SMOKE = str(Path(__file__).resolve().parents[2] / "configs" / "smoke.yaml")
SMELL = ["world.senses=[smell]", "agent.vector_hidden=8", "agent.latent=8", "eval.seconds=1"]
ES = ["ancestry.method=es", "ancestry.seeds=[1,2]", "ancestry.es.population=4", "ancestry.es.generations=3",
      "ancestry.es.episode_steps=5", "train.checkpoint_every=1", *SMELL]
PPO_ANCESTRY = ["ancestry.seeds=[1,2]", "ancestry.steps=256", "train.eval_every=128", "train.checkpoint_every=64",
                *SMELL]  # two stretches of two updates of 64 env steps each


class Killed(Exception):
    """Stands for a kill: the ancestry stops where it is, with what it has checkpointed."""


def kill_at_call(monkeypatch, owner, name: str, call: int) -> None:
    """`owner.name` raises Killed at its `call`-th call."""
    original, calls = getattr(owner, name), itertools.count(1)

    def killing(*args, **kwargs):
        if next(calls) == call:
            raise Killed
        return original(*args, **kwargs)

    monkeypatch.setattr(owner, name, killing)


def killed_ancestry(monkeypatch, tmp_path: Path, args: list[str], owner, name: str, call: int) -> Path:
    with monkeypatch.context() as patch:
        kill_at_call(patch, owner, name, call)
        with pytest.raises(Killed):
            main(["ancestry", SMOKE, *args, f"run_dir={tmp_path}", "name=killed", "--quiet"])
    assert not (tmp_path / "killed" / "ancestor.pt").exists()
    return tmp_path / "killed"


def assert_same_ancestor(tmp_path: Path) -> None:
    whole, resumed = (load_inheritance(tmp_path / name / "ancestor.pt") for name in ("whole", "killed"))
    assert whole.tensors.keys() == resumed.tensors.keys()
    for name, tensor in whole.tensors.items():
        assert torch.equal(resumed.tensors[name], tensor), name
    assert resumed.record["stages"] == whole.record["stages"]


@pytest.mark.parametrize("genes", [["ancestry.es.evolve=weights"],
                                   ["ancestry.es.evolve=rule", "agent.learning_rule=hebbian"]])
def test_a_killed_es_ancestry_resumes_to_the_ancestor_of_an_uninterrupted_one(tmp_path, monkeypatch, capsys, genes):
    assert main(["ancestry", SMOKE, *ES, *genes, f"run_dir={tmp_path}", "name=whole", "--quiet"]) == 0
    killed = killed_ancestry(monkeypatch, tmp_path, [*ES, *genes], EvolutionStrategy, "tell", 3)  # in generation 2
    capsys.readouterr()
    assert main(["ancestry", "--resume", str(killed), "--quiet"]) == 0
    assert "resumed at env step 40" in capsys.readouterr().out  # after generations 0 and 1, 4 lives of 5 steps each
    assert_same_ancestor(tmp_path)
    assert [row["es/generation"] for row in read_metrics(killed / "metrics.csv")] == [0, 1, 2]

    assert main(["ancestry", "--resume", str(killed), "--quiet"]) == 0
    out = capsys.readouterr().out
    assert "has finished; nothing is left to resume" in out and str(killed / "ancestor.pt") in out


def test_a_ppo_ancestry_killed_between_stretches_resumes_to_the_same_ancestor(tmp_path, monkeypatch, capsys):
    assert main(["ancestry", SMOKE, *PPO_ANCESTRY, f"run_dir={tmp_path}", "name=whole", "--quiet"]) == 0
    killed = killed_ancestry(monkeypatch, tmp_path, PPO_ANCESTRY, PPO, "update", 3)  # the second stretch's first
    capsys.readouterr()
    assert main(["ancestry", "--resume", str(killed), "--quiet"]) == 0
    assert "resumed at env step 128" in capsys.readouterr().out
    assert_same_ancestor(tmp_path)


def test_a_ppo_ancestry_killed_within_a_stretch_resumes_from_its_checkpoint(tmp_path, monkeypatch, capsys):
    killed = killed_ancestry(monkeypatch, tmp_path, PPO_ANCESTRY, PPO, "update", 4)  # checkpointed at 192 steps
    capsys.readouterr()
    assert main(["ancestry", "--resume", str(killed), "--quiet"]) == 0
    assert "resumed at env step 192" in capsys.readouterr().out
    record = load_inheritance(killed / "ancestor.pt").record
    assert [(stage["seed"], stage["env_steps"]) for stage in record["stages"]] == [(1, 128), (2, 256)]
    steps = [row["step"] for row in read_metrics(killed / "metrics.csv")]
    assert steps == sorted(set(steps)) and steps[-1] == 256, "no step is logged twice after resuming"


def test_a_checkpoint_that_cannot_be_resumed_is_a_clear_error(tmp_path, monkeypatch, capsys):
    killed = killed_ancestry(monkeypatch, tmp_path, ES, EvolutionStrategy, "tell", 2)  # one checkpoint, at step 20
    checkpoint = killed / "checkpoints" / "step_000000000020.pt"
    lifetime = {"ppo": {}, "evaluations": []}
    torch.save(lifetime, checkpoint)
    assert main(["ancestry", "--resume", str(killed), "--quiet"]) == 2
    assert "is not a checkpoint of an ancestry by 'es'" in capsys.readouterr().err

    checkpoint.write_bytes(b"cut short")
    with pytest.warns(UserWarning, match="skipping corrupt checkpoint"):
        assert main(["ancestry", "--resume", str(killed), "--quiet"]) == 2
    assert "no readable checkpoint" in capsys.readouterr().err
    assert main(["ancestry", "--resume", str(killed), "ancestry.steps=5", "--quiet"]) == 2
    assert "its own config.yaml" in capsys.readouterr().err
