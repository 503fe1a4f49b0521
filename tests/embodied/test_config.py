from pathlib import Path

import pytest

import envs
from embodied.config import ConfigError, RunConfig, dump_config, load_config

CONFIGS = Path(__file__).parents[2] / "configs"


def error(*args, **kwargs) -> str:
    with pytest.raises(ConfigError) as caught:
        load_config(*args, **kwargs)
    return str(caught.value)


def write(tmp_path: Path, text: str) -> Path:
    path = tmp_path / "run.yaml"
    path.write_text(text)
    return path


def test_no_file_and_no_overrides_is_the_default():
    assert load_config(None, []) == RunConfig()


def test_forage_yaml_writes_out_the_default():
    assert load_config(CONFIGS / "forage.yaml", []) == RunConfig()


@pytest.mark.parametrize("path", sorted(CONFIGS.glob("*.yaml")), ids=lambda path: path.name)
def test_every_task_config_names_a_registered_world(path):
    assert load_config(path, [], world_names=envs.names()).world.name in envs.names()


def test_smoke_yaml_is_tiny():
    cfg = load_config(CONFIGS / "smoke.yaml", [])
    assert (cfg.world.num_envs, cfg.world.vision_size, cfg.ppo.rollout_steps) == (2, 16, 32)
    assert cfg.train.total_steps <= 5000 and cfg.eval.num_envs == 2 and cfg.video.seconds == 2


def test_unknown_key_names_the_valid_keys_and_the_closest(tmp_path):
    from_file = error(write(tmp_path, "ppo:\n  learnin_rate: 1\n"))
    for message in (error(None, ["ppo.learnin_rate=1e-3"]), from_file):
        assert "unknown key 'ppo.learnin_rate'" in message
        assert "did you mean 'ppo.learning_rate'" in message
        assert "valid keys under 'ppo':" in message
        assert "rollout_steps" in message and "max_grad_norm" in message


def test_unknown_section_lists_the_top_level_keys():
    message = error(None, ["traine.total_steps=5"])
    assert "unknown key 'traine'" in message and "did you mean 'train'" in message and "video" in message


def test_wrong_type_names_key_value_and_type():
    message = error(None, ["world.num_envs=many"])
    assert "world.num_envs" in message and "'many'" in message and "expected int" in message


def test_out_of_range_value_is_an_error():
    assert "world.num_envs = 0" in error(None, ["world.num_envs=0"])
    assert "device = 'gpu'" in error(None, ["device=gpu"])


def test_override_without_equals_shows_the_expected_form():
    assert "key.sub=value" in error(None, ["ppo.learning_rate"])


def test_override_into_a_value_is_an_error():
    assert "'seed' is a value, not a section" in error(None, ["seed=1", "seed.x=2"])


def test_missing_file_names_the_path(tmp_path):
    missing = tmp_path / "nope.yaml"
    assert f"config file not found: {missing}" in error(missing, [])


def test_malformed_yaml_names_file_and_line(tmp_path):
    path = write(tmp_path, "seed: 1\nppo:\n  epochs: 1\n minibatches: 2\nvideo: {}\n")
    message = error(path, [])
    assert str(path) in message and "line 4" in message


def test_top_level_must_be_a_mapping(tmp_path):
    assert "must be a mapping" in error(write(tmp_path, "- 1\n- 2\n"), [])


def test_overrides_are_parsed_as_yaml_and_apply_on_top_of_the_file(tmp_path):
    path = write(tmp_path, "world:\n  num_envs: 4\nppo:\n  learning_rate: 0.1\n")
    cfg = load_config(path, ["ppo.learning_rate=1e-3", "ppo.anneal_lr=true", "agent.conv_channels=[8,16]",
                             "world.vision_size=16", "name=smoke"])
    assert cfg.ppo.learning_rate == pytest.approx(1e-3) and cfg.ppo.anneal_lr is True
    assert cfg.agent.conv_channels == (8, 16)
    assert (cfg.world.num_envs, cfg.world.vision_size, cfg.name) == (4, 16, "smoke")


def test_dump_then_load_round_trips(tmp_path):
    cfg = load_config(None, ["seed=7", "ppo.learning_rate=1e-8", "agent.conv_channels=[4]", "name=x y",
                             "eval.competence=0.75", "device=cuda:1"])
    assert load_config(write(tmp_path, dump_config(cfg)), []) == cfg


def test_world_names_are_checked_when_given():
    message = error(None, ["world.name=Forag"], world_names=["Forage", "Looming"])
    assert "unknown world 'Forag'" in message and "did you mean 'Forage'" in message and "Looming" in message
    assert load_config(None, [], world_names=["Forage"]).world.name == "Forage"
    assert load_config(None, ["world.name=Anything"]).world.name == "Anything"
