"""A genomic bottleneck (Shuvaev, Lachi, Koulakov and Zador 2024): a newborn's weights decoded by a small
generator network from the binary identity codes of the neurons each synapse joins, the generator fitted in the
ancestral phase to an ancestor's weights (fit.py) and decoded at birth by the `genome` prior."""

from agents.genome.fit import GenomeConfig, fit_genome, genome_state

__all__ = ["GenomeConfig", "fit_genome", "genome_state"]
