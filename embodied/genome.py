"""`embodied genome ANCESTOR.pt [key=value ...]`: the genomic bottleneck's step of the ancestral phase, which
fits a generator to an ancestor's weights (agents/genome) and writes the genome a newborn decodes at birth.

It is a step of its own, after `embodied ancestry`, so that one ancestry gives genomes of many sizes (a sweep of
the compression ratio) without living again.
"""

from pathlib import Path

import torch
import yaml
from pydantic import ValidationError

from agents.genome import GenomeConfig, fit_genome
from agents.inheritance import Inheritance, load_inheritance
from embodied.config import ConfigError
from embodied.run_folder import atomic_write


def genome_config(overrides: list[str]) -> GenomeConfig:
    """The generator's options from `key=value` items; an unknown key or a bad value names the valid ones."""
    data = {}
    for item in overrides:
        key, sep, text = item.partition("=")
        if not sep:
            raise ConfigError(f"genome option {item!r} is not of the form key=value (for example hidden=16)")
        try:
            data[key.strip()] = yaml.safe_load(text)
        except yaml.YAMLError:
            raise ConfigError(f"genome option {item!r}: the value is not valid YAML") from None
    try:
        return GenomeConfig.model_validate(data)
    except ValidationError as e:
        valid = "; ".join(f"{name} ({field.description}, default {field.default})"
                          for name, field in GenomeConfig.model_fields.items())
        problems = "; ".join(f"{'.'.join(map(str, err['loc']))} = {err['input']!r}: {err['msg']}" for err in e.errors())
        raise ConfigError(f"genome options: {problems}. Valid options: {valid}") from None


def make_genome(ancestor_path: str | Path, overrides: list[str], out: str | Path | None = None
                ) -> tuple[Path, Inheritance]:
    """Fit a genome to the weights artifact at `ancestor_path` and write it (by default `genome.pt` beside it)."""
    cfg = genome_config(overrides)
    ancestor = load_inheritance(ancestor_path)
    try:
        genome = fit_genome(ancestor, cfg)
    except ValueError as e:
        raise ConfigError(f"{ancestor_path}: {e}") from None
    path = Path(out) if out else Path(ancestor_path).parent / "genome.pt"
    path.parent.mkdir(parents=True, exist_ok=True)
    atomic_write(path, lambda f: torch.save(genome.state(), f))
    return path, genome
