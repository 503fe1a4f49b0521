"""An experiment's prepare steps: the ancestor its runs inherit is made by the experiment itself, once, and a step
that fails stops the experiment before any run."""

from pathlib import Path

import pytest
import yaml

from embodied.config import ConfigError
from embodied.experiments import plan_experiment, run_experiment

SMOKE = Path(__file__).resolve().parents[2] / "configs" / "smoke.yaml"


def write(tmp_path: Path, prepare: list[dict], artifact: Path) -> Path:
    spec = {"name": "inheriting", "base": str(SMOKE), "seeds": 1, "prepare": prepare,
            "overrides": {"run_dir": str(tmp_path), "train.total_steps": 64, "train.eval_every": 64,
                          "prior.name": "inherit", "prior.artifact": str(artifact)}}
    path = tmp_path / "experiment.yaml"
    path.write_text(yaml.safe_dump(spec))
    return path


def test_the_experiment_makes_the_ancestor_its_runs_inherit_and_only_once(tmp_path, capsys):
    ancestor = tmp_path / "ancestry" / "ancestor.pt"
    command = (f"ancestry {SMOKE} run_dir={tmp_path} name=ancestry ancestry.steps=64 ancestry.seeds=[1] "
               "train.eval_every=64 --quiet")
    path = write(tmp_path, [{"creates": str(ancestor), "command": command}], ancestor)
    first = run_experiment(path, workers=1, video=False, progress=False)
    assert first.finished == 1 and ancestor.is_file()
    assert f"preparing {ancestor}: embodied ancestry" in capsys.readouterr().out
    made = ancestor.stat().st_mtime_ns
    (first.path / "runs" / "base" / "seed_0" / "summary.json").unlink()  # a run to make again; the ancestor stays
    again = run_experiment(path, workers=1, video=False, progress=False)
    assert again.finished == 1 and ancestor.stat().st_mtime_ns == made
    assert "preparing" not in capsys.readouterr().out


@pytest.mark.parametrize("command, message", [
    ("genome {missing}", r"failed \(exit status 2\)"),
    ("train --no-such-flag", r"failed \(exit status 2\)"),
])
def test_a_failed_preparation_stops_the_experiment_before_any_run(tmp_path, command, message):
    missing = tmp_path / "nowhere" / "ancestor.pt"
    path = write(tmp_path, [{"creates": str(tmp_path / "genome.pt"), "command": command.format(missing=missing)}],
                 missing)
    with pytest.raises(ConfigError, match=message):
        run_experiment(path, workers=1, video=False, progress=False)
    assert not (tmp_path / "experiments" / "inheriting" / "runs").exists()


def test_a_prepare_step_must_be_an_embodied_command_that_makes_a_file(tmp_path):
    path = write(tmp_path, [{"creates": "x.pt", "command": "rm -rf /"}], tmp_path / "x.pt")
    with pytest.raises(ConfigError, match="start it with one of ancestry, genome, train"):
        plan_experiment(path)
