import torch

from agents.normalizer import RunningNorm


def test_statistics_match_the_whole_stream_seen_in_batches():
    torch.manual_seed(0)
    data = torch.randn(1000, 3) * torch.tensor([1.0, 5.0, 0.1]) + torch.tensor([2.0, -3.0, 7.0])
    norm = RunningNorm(3)
    for chunk in data.split([10, 300, 690]):
        norm.update(chunk)
    torch.testing.assert_close(norm.mean, data.mean(0), rtol=1e-4, atol=1e-4)
    torch.testing.assert_close(norm.var, data.var(0, unbiased=False), rtol=1e-3, atol=1e-5)
    normalised = norm(data)
    torch.testing.assert_close(normalised.mean(0), torch.zeros(3), atol=1e-3, rtol=0)
    torch.testing.assert_close(normalised.std(0), torch.ones(3), atol=1e-2, rtol=0)


def test_denormalize_inverts_forward():
    norm = RunningNorm(2)
    norm.update(torch.tensor([[1.0, -20.0], [3.0, 60.0]]))
    x = torch.tensor([[0.5, 10.0]])
    torch.testing.assert_close(norm.denormalize(norm(x)), x)


def test_min_std_never_magnifies():
    norm = RunningNorm(1, min_std=1.0)
    norm.update(torch.tensor([[0.1], [0.2]]))
    assert norm.std.item() == 1.0
    norm.update(torch.tensor([[-50.0], [50.0]]))
    assert norm.std.item() > 10.0


def test_forward_clips_and_does_not_learn():
    norm = RunningNorm(2)
    out = norm(torch.tensor([[1e6, -1e6]]))
    assert out.tolist() == [[10.0, -10.0]]
    assert norm.mean.tolist() == [0.0, 0.0]


def test_statistics_travel_in_the_state_dict():
    norm = RunningNorm(2)
    norm.update(torch.tensor([[1.0, 2.0], [3.0, 6.0]]))
    other = RunningNorm(2)
    other.load_state_dict(norm.state_dict())
    assert set(norm.state_dict()) == {"mean", "var", "count"}
    x = torch.tensor([[2.0, 0.0]])
    assert torch.equal(other(x), norm(x))
