import torch

import embodied.evaluation as evaluation
from embodied.config import RunConfig
from embodied.evaluation import Evaluator


def test_training_world_probe_runs_on_fresh_worlds_of_the_run_seed(monkeypatch):
    cfg = RunConfig.model_validate({"seed": 7, "world": {"num_envs": 2}, "eval": {"num_envs": 2, "seconds": 1.0}})
    evaluator = Evaluator(cfg)
    calls = []

    def probe(world, policy, seconds, seed):
        calls.append((world, seed))
        return 1.5

    monkeypatch.setattr(evaluation, "probe_score", probe)
    stay = lambda observation: torch.zeros(2, 4)  # noqa: E731
    assert evaluator.score(stay) == 1.5
    assert evaluator.score_on_training_worlds(stay) == 1.5
    (held_out, held_out_seed), (training, training_seed) = calls
    assert held_out is evaluator.world and held_out_seed == cfg.eval.seed
    assert training is not evaluator.world and training_seed == cfg.seed == 7
    assert training.closed
    evaluator.close()
