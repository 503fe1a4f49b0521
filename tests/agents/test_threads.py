import pytest
import torch

from agents.threads import one_thread_on_cpu


@pytest.fixture
def two_threads():
    saved = torch.get_num_threads()
    torch.set_num_threads(2)
    yield
    torch.set_num_threads(saved)


def test_one_thread_inside_and_the_old_count_after(two_threads):
    with one_thread_on_cpu(torch.device("cpu")):
        assert torch.get_num_threads() == 1
    assert torch.get_num_threads() == 2


def test_the_count_comes_back_after_an_error(two_threads):
    with pytest.raises(KeyError), one_thread_on_cpu(torch.device("cpu")):
        raise KeyError("x")
    assert torch.get_num_threads() == 2


def test_an_accelerator_leaves_the_cpu_threads_alone(two_threads):
    with one_thread_on_cpu(torch.device("cuda")):
        assert torch.get_num_threads() == 2
