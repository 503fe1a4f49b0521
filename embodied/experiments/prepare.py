"""An experiment's preparation: the files its runs need (an ancestor, its genome), made by `embodied` commands
before the first run and only while they are missing, so that `embodied experiment FILE` alone makes the
experiment again from a fresh checkout."""

import shlex
from collections.abc import Sequence
from pathlib import Path

from embodied.config import ConfigError
from embodied.experiments.spec import PrepareStep


def prepare(steps: Sequence[PrepareStep]) -> None:
    """Run each step whose file is missing, in order; a step that fails or does not make its file stops the
    experiment before any run starts."""
    from embodied.cli import main  # the command line imports the experiments, not the other way round

    for step in steps:
        made = Path(step.creates)
        if made.exists():
            continue
        print(f"preparing {made}: embodied {step.command}", flush=True)
        try:
            status = main(shlex.split(step.command))
        except SystemExit as bad_arguments:  # argparse refused the command line, and said why
            status = bad_arguments.code
        if status:
            raise ConfigError(f"preparation 'embodied {step.command}' failed (exit status {status}); fix the "
                              "experiment's prepare step and run the experiment again")
        if not made.exists():
            raise ConfigError(f"preparation 'embodied {step.command}' did not make {made}; give the file it writes "
                              "as the step's creates")
