"""Binary identity codes: every neuron of a layer is named by the bits of its index, the only thing a genome can
tell neurons apart by (Shuvaev, Lachi, Koulakov and Zador 2024).

Bits are +1/-1 rather than 1/0 so that every input of the generator is centred. A neuron's code is fixed by its
position alone, so a newborn's neurons get the same codes as its ancestor's and the decoded wiring lands on the
same synapses.
"""

import math

import torch


def code_bits(n: int) -> int:
    """Bits that name `n` neurons uniquely: ceil(log2 n), and at least one."""
    if n < 1:
        raise ValueError(f"a layer needs at least one neuron to name, got {n}")
    return max(1, math.ceil(math.log2(n)))


def binary_codes(n: int, bits: int | None = None) -> torch.Tensor:
    """[n, bits] codes of neurons 0..n-1: bit b of neuron i is +1 where (i >> b) & 1, else -1. `bits` may pad the
    codes of a small layer to a width shared with bigger ones."""
    bits = code_bits(n) if bits is None else bits
    if bits < code_bits(n):
        raise ValueError(f"{bits} bits cannot name {n} neurons apart; give at least {code_bits(n)}")
    index = torch.arange(n).unsqueeze(1)
    return ((index >> torch.arange(bits)) & 1).float() * 2 - 1
