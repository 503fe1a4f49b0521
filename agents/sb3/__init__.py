"""Our auxiliary losses for stable-baselines3 users: AuxPPO, a PPO whose policy (AuxPolicy) owns the heads.

    from agents.sb3 import AuxPPO
    model = AuxPPO("MultiInputPolicy", env, aux={"temporal_contrast": 0.1, "forward_model": 0.1})
"""

from agents.sb3.buffer import AuxRolloutBuffer
from agents.sb3.policy import AuxPolicy
from agents.sb3.ppo import AuxPPO

__all__ = ["AuxPPO", "AuxPolicy", "AuxRolloutBuffer"]
