"""Experiments: grids of conditions over seeds, run locally or on Ray, read back for statistics and reports."""

from embodied.experiments.results import ConditionRecord, ExperimentRecord, RunRecord, load_experiment
from embodied.experiments.runner import Tally, run_experiment
from embodied.experiments.spec import Condition, Experiment, ExperimentSpec, plan_experiment

__all__ = ["Condition", "ConditionRecord", "Experiment", "ExperimentRecord", "ExperimentSpec", "RunRecord", "Tally",
           "load_experiment", "plan_experiment", "run_experiment"]
