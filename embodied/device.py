"""Where the learner lives: CUDA when present, else the CPU (or exactly what the config names)."""

import torch


def resolve_device(name: str) -> torch.device:
    if name == "auto":
        return torch.device("cuda" if torch.cuda.is_available() else "cpu")
    device = torch.device(name)
    if device.type == "cuda" and not torch.cuda.is_available():
        raise RuntimeError(f"device={name!r} but this torch sees no CUDA device; use device=auto or device=cpu")
    return device
