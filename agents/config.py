"""Agent and learner options: validated, so a typo in a config is an error that names the valid keys."""

from typing import Literal

from pydantic import BaseModel, ConfigDict, Field


class AgentConfig(BaseModel):
    """Shape of the newborn's network."""

    model_config = ConfigDict(extra="forbid")

    patch_size: int = Field(4, ge=1, description="side of the non-overlapping pixel patches the eye's first layer sees")
    conv_channels: tuple[int, ...] = Field(
        (16, 32), min_length=1, description="channels of the eye's conv layers: the patch layer, then 3x3 stride 2"
    )
    image_features: int = Field(128, ge=1, description="width of each image sense's features")
    vector_hidden: int = Field(64, ge=1, description="width of each vector sense's MLP")
    latent: int = Field(128, ge=1, description="width of the fused latent")
    init_log_std: float = Field(-0.5, description="initial log std of the Gaussian policy")


class PPOConfig(BaseModel):
    """Proximal policy optimisation, as in CleanRL's ppo_continuous_action."""

    model_config = ConfigDict(extra="forbid")

    rollout_steps: int = Field(64, ge=1, description="steps per world per rollout")
    epochs: int = Field(4, ge=1)
    minibatches: int = Field(4, ge=1)
    learning_rate: float = Field(3e-4, gt=0)
    anneal_lr: bool = False
    gamma: float = Field(0.99, gt=0, le=1)
    gae_lambda: float = Field(0.95, ge=0, le=1)
    clip: float = Field(0.2, gt=0)
    entropy_coef: float = Field(0.0, ge=0)
    value_coef: float = Field(0.5, ge=0)
    max_grad_norm: float = Field(0.5, gt=0)


class AuxConfig(BaseModel):
    """Weights of the self-supervised auxiliary losses; 0 turns a loss off."""

    model_config = ConfigDict(extra="forbid")

    forward_model: float = Field(
        0.0, ge=0, description="predict the next fused latent from latent and action"
    )


class PriorConfig(BaseModel):
    """What the newborn is born with; `name` selects one file of agents/priors."""

    model_config = ConfigDict(extra="forbid")

    name: Literal["blank"] = Field("blank", description="the innate prior applied at birth")
