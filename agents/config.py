"""Agent and learner options: validated, so a typo in a config is an error that names the valid keys."""

from typing import Literal

from pydantic import BaseModel, ConfigDict, Field, ValidationInfo, field_validator, model_validator

LAYER_GROUPS = ("encoders", "fusion", "heads")


def _known_rule(name: str) -> str:
    # Imported here so that a learning rule's own file may import this config.
    from agents.learning_rules import learning_rule

    learning_rule(name)
    return name


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
    vision_encoder: Literal["conv", "mlp"] = Field(
        "conv", description="the eye: conv (local, shared weights) or mlp (dense layers on the flattened pixels)"
    )
    learning_rule: str = Field("backprop", description="how errors reach every layer (agents/learning_rules)")
    layer_rules: dict[str, str] = Field(
        default_factory=dict, description=f"a rule per layer group ({', '.join(LAYER_GROUPS)}) over learning_rule"
    )

    @field_validator("learning_rule")
    @classmethod
    def _rule_is_registered(cls, name: str) -> str:
        return _known_rule(name)

    @field_validator("layer_rules")
    @classmethod
    def _groups_and_rules_are_known(cls, rules: dict[str, str]) -> dict[str, str]:
        for group, name in rules.items():
            if group not in LAYER_GROUPS:
                raise ValueError(f"unknown layer group {group!r}; groups: {', '.join(LAYER_GROUPS)}")
            _known_rule(name)
        return rules

    def rule_for(self, group: str) -> str:
        """The name of the rule that trains `group`'s layers: its own entry in layer_rules, else learning_rule."""
        return self.layer_rules.get(group, self.learning_rule)


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
    hidden_learning_rate_scale: dict[str, float] = Field(
        default_factory=lambda: {"feedback_alignment": 0.1},
        description="learning rate of the hidden layers (encoders, fusion) each learning rule trains, as a fraction "
        "of learning_rate, by rule name: feedback alignment's learn at a tenth by default (agents/optimizer.py)",
    )
    weight_decay: dict[str, float] = Field(
        default_factory=dict,
        description="decoupled weight decay (per step, times the learning rate) of the weights of the layers each "
        "learning rule trains, by rule name, e.g. {feedback_alignment: 10} (agents/optimizer.py)",
    )

    @field_validator("hidden_learning_rate_scale", "weight_decay")
    @classmethod
    def _settings_of_known_rules(cls, settings: dict[str, float], info: ValidationInfo) -> dict[str, float]:
        for name, value in settings.items():
            _known_rule(name)
            if value < 0:
                raise ValueError(f"{info.field_name} of {name!r} is {value}; give 0 or more")
        return settings


class AuxConfig(BaseModel):
    """Weights of the self-supervised auxiliary losses (0 turns a loss off), and their image augmentation."""

    model_config = ConfigDict(extra="forbid")

    forward_model: float = Field(
        0.0, ge=0, description="predict the next fused latent from latent and action"
    )
    reconstruction: float = Field(0.0, ge=0, description="decode every sense from the fused latent")
    inverse_dynamics: float = Field(0.0, ge=0, description="predict the action from the latents before and after it")
    cross_modal: float = Field(
        0.0, ge=0, description="predict each sense's embedding from the others' (needs two senses or more)"
    )
    temporal_contrast: float = Field(
        0.0, ge=0, description="InfoNCE: latents contrast_steps apart in one life agree, those of other lives not"
    )
    contrast_steps: int = Field(4, ge=1, description="temporal contrast: steps between the two moments of a pair")
    contrast_temperature: float = Field(0.1, gt=0, description="temporal contrast: temperature of the InfoNCE")
    augment: int = Field(
        0, ge=0, description="pixels by which the losses that encode images shift them at random (DrQ); 0: off"
    )


class PriorConfig(BaseModel):
    """What the newborn is born with; `name` selects one file of agents/priors."""

    model_config = ConfigDict(extra="forbid")

    name: Literal["blank", "cpg", "reflex", "inherit", "lottery", "genome", "hebbian"] = Field(
        "blank", description="the innate prior applied at birth"
    )
    step_seconds: float = Field(
        0.05, gt=0, description="simulated seconds per control step (the world's dt): the clock of cpg and reflex"
    )
    reflex_gain: float = Field(1.0, ge=0, description="reflex: strength of the hard-wired arcs at birth")
    reflex_fade_seconds: float | None = Field(
        None, gt=0, description="reflex: simulated life seconds over which the gain fades to 0; none: never fades"
    )
    cpg_hz: float = Field(2.0, gt=0, description="cpg: the oscillators' stride frequency before modulation")
    cpg_stride: float = Field(0.4, ge=0, le=1, description="cpg: hip swing (action units) before modulation")
    cpg_lift: float = Field(1.0, ge=0, le=1, description="cpg: knee flexion of a swinging leg (action units)")
    cpg_coupling: float = Field(
        4.0, ge=0, description="cpg: per second, how strongly each oscillator pulls the others into the trot"
    )
    cpg_righting: float = Field(
        0.45, ge=0, description="cpg: knee action per rad/s of the body's roll rate, against it (a righting reflex)"
    )
    cpg_lean: float = Field(0.75, ge=0, description="cpg: knee action per rad of the sensed lean, against it")
    cpg_lean_seconds: float = Field(
        0.2, gt=0, description="cpg: how long the sensed lean trusts the gyro before the accelerometer's gravity"
    )
    artifact: str | None = Field(
        None, description="inherit, lottery, hebbian: the ancestor's inheritance artifact (`embodied ancestry` "
        "writes it); "
        "genome: the genome `embodied genome` fitted to one"
    )
    parts: Literal["all", "encoders"] = Field(
        "all", description="inherit, lottery: the ancestor's whole network, or its sensory encoders only"
    )
    keep: float = Field(
        1.0, gt=0, le=1, description="inherit, lottery: fraction of each tensor's weights kept, largest first"
    )
    bits: int = Field(
        32, ge=1, le=32, description="inherit: bits per kept weight: 32 as saved, 2-16 evenly spaced levels per "
        "tensor, 1 its sign times the tensor's mean magnitude"
    )
    noise: float = Field(0.0, ge=0, description="inherit: Gaussian noise added to each kept weight, times its RMS")

    @model_validator(mode="after")
    def _inheritance_options_are_usable(self):
        if self.name in ("inherit", "lottery", "hebbian") and self.artifact is None:
            raise ValueError(f"prior {self.name!r} inherits from an ancestor: set prior.artifact to the ancestor.pt "
                             "that `embodied ancestry CONFIG` wrote")
        if self.name == "genome" and self.artifact is None:
            raise ValueError("prior 'genome' decodes an ancestor's genome: set prior.artifact to the genome.pt that "
                             "`embodied genome ANCESTOR.pt` wrote")
        if 16 < self.bits < 32:
            raise ValueError(f"prior.bits={self.bits}: give 32 (as saved) or 1 to 16 bits per weight")
        return self
