"""Where an ancestry stands, as its checkpoints say: every ancestral checkpoint has an `ancestry` entry, alike for
both methods, naming the method that wrote it, the stretches (ppo) or generations (es) done out of how many, and
the records so far. `embodied ancestry --resume` reads it to tell an ancestry's checkpoint from another run's, and
a finished ancestry from a killed one."""

from typing import Any

from embodied.config import RunConfig
from embodied.run_folder import RunFolderError


def ancestry_progress(cfg: RunConfig, done: int, of: int, records: list[dict]) -> dict[str, Any]:
    return {"method": cfg.ancestry.method, "done": done, "of": of, "records": records}


def check_progress(state: dict[str, Any], cfg: RunConfig, where: str) -> None:
    """Refuse a checkpoint that another kind of run wrote (a lifetime's, or an ancestry by the other method)."""
    progress = state.get("ancestry") if isinstance(state, dict) else None
    if not isinstance(progress, dict) or progress.get("method") != cfg.ancestry.method:
        wrote = "a lifetime (resume it with `embodied train --resume`)" if progress is None else \
            f"an ancestry by {progress.get('method')!r}"
        raise RunFolderError(f"{where} is not a checkpoint of an ancestry by {cfg.ancestry.method!r} (the run's "
                             f"config.yaml) but of {wrote}; give `embodied ancestry --resume` the folder that "
                             "`embodied ancestry` printed")


def finished(state: dict[str, Any]) -> bool:
    return state["ancestry"]["done"] >= state["ancestry"]["of"]
