"""Experiment files: the grid of conditions times seeds, labels and folders, and every mistake caught
before anything is written."""

from pathlib import Path

import pytest
import yaml

from embodied.cli import main
from embodied.config import ConfigError
from embodied.experiments import ExperimentSpec, plan_experiment
from embodied.experiments.spec import Condition, conditions
from embodied.run_folder import RunFolder
from envs.richness import PRESETS

ROOT = Path(__file__).resolve().parents[2]


def write(tmp_path: Path, **fields) -> Path:
    """An experiment on configs/smoke.yaml (found through the repository) whose runs go under tmp_path/out."""
    data = {"name": "exp", "base": "configs/smoke.yaml", "overrides": {"run_dir": str(tmp_path / "out")},
            "axes": {"aux.forward_model": [0.0, 0.1]}, "seeds": 1, **fields}
    path = tmp_path / "experiment.yaml"
    path.write_text(yaml.safe_dump(data))
    return path


def test_grid_is_the_product_of_the_axes_times_the_seeds(tmp_path):
    path = write(tmp_path, axes={"aux.forward_model": [0.0, 0.1], "world.num_food": [1, 3, 5]}, seeds=[4, 7],
                 overrides={"run_dir": str(tmp_path / "out"), "train": {"total_steps": 128}})
    experiment = plan_experiment(path)
    assert experiment.root == tmp_path / "out" / "experiments" / "exp"
    assert [c.label for c in experiment.conditions] == [
        f"aux.forward_model={fm},world.num_food={food}" for fm in ("0.0", "0.1") for food in (1, 3, 5)]
    # seed by seed: an experiment stopped early has every condition at the same number of seeds
    assert [run.seed for run in experiment.runs] == [4] * 6 + [7] * 6
    assert [run.condition for run in experiment.runs[:6]] == experiment.conditions
    for run in experiment.runs:
        values = dict(run.condition.values)
        assert run.cfg.aux.forward_model == values["aux.forward_model"]
        assert run.cfg.world.num_food == values["world.num_food"]
        assert run.cfg.seed == run.seed
        assert run.cfg.train.total_steps == 128, "a nested override sets one key"
        assert run.cfg.train.eval_every == 1000, "and keeps the base's others"
        assert run.path == experiment.root / "runs" / run.condition.folder / f"seed_{run.seed}"
    assert not (tmp_path / "out").exists(), "planning writes nothing"


def test_labels_read_as_overrides_and_folders_are_safe_and_distinct():
    spec = ExperimentSpec(axes={"world.senses": [["vision", "touch"], None], "aux.forward_model": [0.1]})
    grid = conditions(spec)
    assert [c.label for c in grid] == ["world.senses=[vision, touch],aux.forward_model=0.1",
                                       "world.senses=null,aux.forward_model=0.1"]
    first = grid[0].folder
    assert first.startswith("world.senses=vision_touch-") and first.endswith("__aux.forward_model=0.1")
    assert "/" not in first and " " not in first and "[" not in first
    look_alike = Condition((("world.senses", "vision_touch"),))
    assert look_alike.folder != Condition((("world.senses", ["vision", "touch"]),)).folder
    assert [c.label for c in conditions(ExperimentSpec())] == ["base"]
    assert ExperimentSpec(seeds=3).seeds == [0, 1, 2] and ExperimentSpec().seeds == [0, 1, 2]


def test_default_experiment_is_blank_slate_with_and_without_the_forward_model():
    experiment = plan_experiment(ROOT / "configs" / "experiments" / "default.yaml")
    assert [c.label for c in experiment.conditions] == ["aux.forward_model=0.0", "aux.forward_model=0.1"]
    assert experiment.spec.seeds == [0, 1, 2] and len(experiment.runs) == 6
    assert experiment.root.name == "default"


def test_the_richness_experiment_climbs_the_whole_ladder_and_ablates_a_factor_from_its_top():
    experiment = plan_experiment(ROOT / "configs" / "experiments" / "richness.yaml")
    assert [c.label for c in experiment.conditions] == [
        *(f"world.richness={name}" for name in PRESETS), "world.richness=rich,world.ablate=[viewpoint]"]
    assert len(experiment.runs) == 5 * (len(PRESETS) + 1)
    ablated = next(run.cfg for run in experiment.runs if run.cfg.world.ablate)
    assert (ablated.world.richness, ablated.world.ablate) == ("rich", ("viewpoint",))


def test_also_adds_conditions_beside_the_grid_and_refuses_repeats(tmp_path, capsys):
    path = write(tmp_path, axes={"aux.forward_model": [0.0, 0.1], "world.num_food": [1, 3]},
                 also=[{"world": {"num_food": 5}}, {"aux.forward_model": 0.1, "world.num_food": 9}])
    experiment = plan_experiment(path)
    assert [c.label for c in experiment.conditions][4:] == [
        "aux.forward_model=0.0,world.num_food=5", "aux.forward_model=0.1,world.num_food=9"]
    assert [run.cfg.world.num_food for run in experiment.runs][4:] == [5, 9]
    path = write(tmp_path, also=[{"aux.forward_model": 0.1}])
    with pytest.raises(ConfigError, match="'also' repeats a condition the experiment already has: "
                                          "aux.forward_model=0.1"):
        plan_experiment(path)
    path = write(tmp_path, overrides={"world.num_food": 2}, also=[{"world.num_food": 3}])
    with pytest.raises(ConfigError, match="world.num_food is both an override and varied"):
        plan_experiment(path)


def test_the_learning_rules_experiment_crosses_each_gradient_rule_with_both_eyes():
    experiment = plan_experiment(ROOT / "configs" / "experiments" / "learning_rules.yaml")
    runs = {(run.cfg.agent.learning_rule, run.cfg.agent.vision_encoder) for run in experiment.runs}
    rules = ("backprop", "feedback_alignment", "sign_symmetry")
    assert runs == {(rule, eye) for rule in rules for eye in ("conv", "mlp")}
    assert len(experiment.runs) == 3 * len(runs)


def test_the_aux_losses_experiment_tries_no_loss_each_loss_alone_and_the_best_mix_from_pixels():
    experiment = plan_experiment(ROOT / "configs" / "experiments" / "aux_losses.yaml")
    losses = ("reconstruction", "temporal_contrast", "forward_model", "inverse_dynamics", "cross_modal")
    turned_on = [tuple(name for name in losses if getattr(run.cfg.aux, name) > 0) for run in experiment.runs]
    best_mix = ("reconstruction", "forward_model", "cross_modal")
    assert set(turned_on) == {(), *((name,) for name in losses), best_mix}
    assert experiment.spec.seeds == [0, 1, 2, 3, 4] and len(experiment.runs) == 5 * 7
    assert all("vision" in run.cfg.world.senses and "smell" not in run.cfg.world.senses for run in experiment.runs)


@pytest.mark.parametrize("fields, message", [
    ({"axes": {"aux.forward_modl": [0.0, 0.1]}}, "did you mean 'aux.forward_model'"),
    ({"axes": {"aux.forward_model": [0.0, -1.0]}}, "aux.forward_model = -1.0"),
    ({"axes": {"world.name": ["Forage", "Forrage"]}}, "valid worlds: Cliff, Escape, Forage, Graze, Imprint"),
    ({"axes": {"world.richness": ["rich", "lavish"]}}, "impoverished"),
    ({"axes": {"world.richness": ["viewpoint"], "world.ablate": [["lighting"]]}}, "cannot ablate"),
    ({"overrides": {"ppo": {"learnin_rate": 0.1}}}, "did you mean 'ppo.learning_rate'"),
    ({"axis": {"aux.forward_model": [0.0]}}, "did you mean 'axes'"),
    ({"axes": {"seed": [0, 1]}}, "'seed' cannot be set in an experiment"),
    ({"axes": {"aux.forward_model": []}}, "has no values"),
    ({"seeds": [1, 1]}, "distinct"),
    ({"base": "configs/nowhere.yaml"}, "base config 'configs/nowhere.yaml' not found"),
])
def test_a_bad_experiment_is_an_error_and_the_cli_writes_nothing(tmp_path, capsys, fields, message):
    path = write(tmp_path, **fields)
    with pytest.raises(ConfigError) as caught:
        plan_experiment(path)
    assert message in str(caught.value)
    assert main(["experiment", str(path), "--quiet"]) == 2
    assert message in capsys.readouterr().err
    assert not (tmp_path / "out").exists()


def test_an_override_on_the_command_line_is_checked_like_the_file(tmp_path, capsys):
    path = write(tmp_path)
    assert main(["experiment", str(path), "train.total_step=5", "--quiet"]) == 2
    assert "did you mean 'train.total_steps'" in capsys.readouterr().err
    assert main(["experiment", str(path), "aux.forward_model=0.5", "--quiet"]) == 2
    assert "both an override and varied by the axes" in capsys.readouterr().err
    assert not (tmp_path / "out").exists()


def test_runs_made_with_another_config_stop_a_re_run(tmp_path):
    path = write(tmp_path)
    RunFolder.create(plan_experiment(path).runs[0].cfg)
    with pytest.raises(ConfigError, match=r"different config \(train.total_steps: 2000 -> 999\)"):
        plan_experiment(path, ["train.total_steps=999"])


def test_seeds_from_the_command_line_replace_the_files_and_keep_finished_runs(tmp_path, capsys):
    path = write(tmp_path, seeds=2)
    first = plan_experiment(path)
    RunFolder.create(first.runs[0].cfg)
    more = plan_experiment(path, seeds=4)
    assert [run.seed for run in more.runs] == [0, 0, 1, 1, 2, 2, 3, 3] and more.spec.seeds == [0, 1, 2, 3]
    assert more.runs[0].path == first.runs[0].path, "seed 0's run is the same folder, so it is skipped, not redone"
    assert [run.seed for run in plan_experiment(path, seeds=[4, 7]).runs] == [4, 4, 7, 7]
    assert main(["experiment", str(path), "--seeds", "[1, 1]", "--quiet"]) == 2
    assert "seeds must be distinct" in capsys.readouterr().err
    with pytest.raises(SystemExit):
        main(["experiment", str(path), "--seeds", "[4,", "--quiet"])
    assert "neither a count nor a list" in capsys.readouterr().err


@pytest.mark.parametrize("name, world, prior", [("priors_walk", "Walk", "cpg"),
                                                ("priors_visual_cliff", "VisualCliff", "reflex"),
                                                ("priors_cliff", "Cliff", "reflex")])
def test_a_priors_experiment_differs_from_its_blank_slate_only_in_the_prior(name, world, prior):
    experiment = plan_experiment(ROOT / "configs" / "experiments" / f"{name}.yaml")
    assert len(experiment.runs) == 2 * 5 and {run.cfg.world.name for run in experiment.runs} == {world}
    by_prior = {run.cfg.prior.name: run.cfg for run in experiment.runs if run.seed == 0}
    assert set(by_prior) == {"blank", prior}
    blank, innate = by_prior["blank"].model_dump(), by_prior[prior].model_dump()
    assert {key for key in blank if blank[key] != innate[key]} == {"prior", "run_dir"}
