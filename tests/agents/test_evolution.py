"""Evolution strategies on objectives whose optimum is known."""

import pytest
import torch
from pydantic import ValidationError

from agents.evolution import ESConfig, EvolutionStrategy, centered_ranks, flatten, load_genes

TARGET = torch.linspace(-1.0, 1.0, 10)


def quadratic(genes: torch.Tensor) -> torch.Tensor:
    return -(genes - TARGET).square().sum(-1)


def evolve(seed: int, generations: int) -> EvolutionStrategy:
    strategy = EvolutionStrategy(torch.zeros(10), ESConfig(population=20, sigma=0.1, learning_rate=0.05), seed)
    for _ in range(generations):
        strategy.tell(quadratic(strategy.ask()))
    return strategy


def test_es_climbs_a_quadratic():
    start = quadratic(torch.zeros(10)).item()
    strategy = evolve(seed=0, generations=60)
    assert quadratic(strategy.mean.float()).item() > 0.05 * start  # within 5% of the start's distance


def test_antithetic_pairs_are_exact_negatives():
    strategy = EvolutionStrategy(torch.randn(7), ESConfig(population=6, sigma=0.3), seed=1)
    offsets = strategy.ask().double() - strategy.mean
    assert torch.allclose(offsets[:3], -offsets[3:], atol=1e-6)
    assert not torch.allclose(offsets[0], offsets[1])


def test_the_seed_reproduces_the_search():
    assert torch.equal(evolve(seed=3, generations=5).mean, evolve(seed=3, generations=5).mean)
    assert not torch.equal(evolve(seed=3, generations=5).mean, evolve(seed=4, generations=5).mean)


def test_ranks_not_raw_fitness_move_the_mean():
    steps = []
    for scale in (1.0, 1000.0):
        strategy = EvolutionStrategy(torch.zeros(10), ESConfig(population=8), seed=0)
        strategy.tell(scale * quadratic(strategy.ask()))
        steps.append(strategy.mean)
    assert torch.equal(*steps)
    assert torch.equal(centered_ranks(torch.tensor([3.0, -1.0, 10.0])), torch.tensor([0.0, -0.5, 0.5]))


def test_an_odd_population_is_refused_with_the_fix():
    with pytest.raises(ValidationError, match="even population, e.g. 8"):
        ESConfig(population=7)


def test_genes_round_trip_through_a_flat_vector():
    tensors = {"a": torch.zeros(2, 3), "b": torch.zeros(4)}
    load_genes(tensors, torch.arange(10.0))
    assert torch.equal(flatten(tensors), torch.arange(10.0))
    with pytest.raises(ValueError, match="11 genes for 10"):
        load_genes(tensors, torch.arange(11.0))


def test_a_search_restored_from_its_state_goes_on_as_the_uninterrupted_one():
    whole, cut = evolve(seed=2, generations=6), evolve(seed=2, generations=3)
    restored = EvolutionStrategy(torch.zeros(10), ESConfig(population=20, sigma=0.1, learning_rate=0.05), seed=9)
    restored.load_state_dict(cut.state_dict())
    for _ in range(3):
        restored.tell(quadratic(restored.ask()))
    assert torch.equal(restored.mean, whole.mean)
