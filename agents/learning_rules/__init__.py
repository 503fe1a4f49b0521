"""Learning rules: how errors reach each layer, selected by name (`agent.learning_rule`, and per layer
group `agent.layer_rules`). A new rule is one file that makes a LearningRule and one line here."""

from agents.learning_rules.backprop import BACKPROP
from agents.learning_rules.feedback_alignment import FEEDBACK_ALIGNMENT
from agents.learning_rules.hebbian import HEBBIAN
from agents.learning_rules.rule import LearningRule
from agents.learning_rules.sign_symmetry import SIGN_SYMMETRY

LEARNING_RULES: dict[str, LearningRule] = {rule.name: rule for rule in (BACKPROP, FEEDBACK_ALIGNMENT, SIGN_SYMMETRY,
                                                                         HEBBIAN)}


def learning_rule(name: str) -> LearningRule:
    """The rule registered as `name`; an unknown name is an error that lists the choices."""
    if name not in LEARNING_RULES:
        raise ValueError(f"unknown learning rule {name!r}; choices: {', '.join(LEARNING_RULES)}")
    return LEARNING_RULES[name]


__all__ = ["LEARNING_RULES", "LearningRule", "learning_rule"]
