"""The Hebbian ABCD rule: its formula, weights that move by it alone, and a population of rules in one network."""

import torch

from agents.learning_rules.hebbian import hebbian_delta, hebbian_layers, populate, rule_state


def test_the_abcd_formula_on_a_hand_computed_synapse_pair():
    pre, post = torch.tensor([[1.0, 2.0]]), torch.tensor([[0.5]])
    coefficients = torch.tensor([1.0, 2.0, 3.0, 4.0]).view(4, 1, 1).expand(4, 1, 2)
    # A*post*pre + B*pre + C*post + D: 0.5 + 2 + 1.5 + 4 = 8 and 1 + 4 + 1.5 + 4 = 10.5
    assert torch.allclose(hebbian_delta(pre, post, coefficients), torch.tensor([[[8.0, 10.5]]]))


def test_hebbian_weights_get_no_gradient_and_change_by_the_rule_while_acting(make_world, make_agent):
    world = make_world(num_envs=4)
    agent = make_agent(world, learning_rule="hebbian", vision_encoder="mlp")
    for tensor in rule_state(agent).values():
        if tensor.dim() > 0:
            tensor.normal_(0, 0.1)
    observation, _ = world.reset(seed=0)
    log_prob, *_ = agent.evaluate(observation, torch.zeros(4, 2))
    log_prob.sum().backward()
    layers = hebbian_layers(agent)
    assert layers and all(layer.weight.grad is None and layer.bias.grad is None for layer in layers)
    assert agent.actor_log_std.grad is not None
    before = [layer.weight.clone() for layer in layers]
    agent.eval()
    agent.act(observation)  # a probe: no learning
    assert all(torch.equal(b, layer.weight) for b, layer in zip(before, layers, strict=True))
    agent.train()
    with torch.no_grad():
        agent.act(observation)
    assert all(not torch.equal(b, layer.weight) for b, layer in zip(before, layers, strict=True))
    assert all(layer.weight.abs().max() <= 1.0 for layer in layers)


def test_a_population_lives_as_its_individuals_would_alone(make_world, make_agent):
    world = make_world(num_envs=3)
    agent = make_agent(world, learning_rule="hebbian", vision_encoder="mlp", image_features=8, vector_hidden=8,
                       latent=8)
    size = sum(t.numel() for t in rule_state(agent).values())
    rules = 0.1 * torch.randn(3, size)
    crowd, singles = populate(agent, rules), [populate(agent, rules[i:i + 1]) for i in range(3)]
    observation, _ = world.reset(seed=0)
    with torch.no_grad():
        for _ in range(3):  # the weights move apart between steps, each individual's by its own rule
            together = crowd.act(observation, deterministic=True)[0]
            apart = torch.cat([single.act({k: v[i:i + 1] for k, v in observation.items()}, deterministic=True)[0]
                               for i, single in enumerate(singles)])
            assert torch.allclose(together, apart, atol=1e-5)
            observation, *_ = world.step(together)
    assert hebbian_layers(crowd)[0].weight.shape[0] == 3
