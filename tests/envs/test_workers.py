import gc
import threading

import pytest
import torch

import envs
from envs.backends.workers import PinnedWorkers


def test_job_i_always_runs_on_the_same_thread():
    workers = PinnedWorkers(3)
    try:
        first = workers.run(lambda i, _: threading.get_ident(), [None] * 3)
        for _ in range(5):
            assert workers.run(lambda i, _: threading.get_ident(), [None] * 3) == first
        assert len(set(first)) == 3 and threading.get_ident() not in first
        assert workers.run(lambda i, x: i * x, [10, 20, 30]) == [0, 20, 60]
    finally:
        workers.close()


def test_one_worker_runs_in_the_calling_thread():
    workers = PinnedWorkers(1)
    assert workers.run(lambda i, _: threading.get_ident(), [None]) == [threading.get_ident()]


def test_an_error_in_a_worker_reaches_the_caller_and_the_workers_go_on():
    workers = PinnedWorkers(2)

    def job(index, _):
        if index == 1:
            raise KeyError("broken share")
        return index

    try:
        with pytest.raises(KeyError, match="broken share"):
            workers.run(job, [None, None])
        assert workers.run(lambda i, _: i, [None, None]) == [0, 1]
    finally:
        workers.close()


def test_threads_change_neither_the_physics_nor_what_the_eyes_see():
    """Two threads step and render half the worlds each; only sub-pixel rasterisation may differ."""
    runs = []
    for threads in (1, 2):
        world = envs.make("Forage", num_envs=4, seed=0, threads=threads)
        obs, _ = world.reset(seed=0)
        generator = torch.Generator().manual_seed(0)
        frames, states = [obs["vision"]], []
        for _ in range(10):
            action = torch.rand(4, world.single_action_space.shape[0], generator=generator) * 2 - 1
            obs, *_ = world.step(action)
            frames.append(obs["vision"])
            states.append(world.backend.qpos.clone())
        world.close()
        runs.append((torch.stack(frames).float(), torch.stack(states)))
    (frames_1, states_1), (frames_2, states_2) = runs
    assert torch.equal(states_1, states_2)
    assert (frames_1 - frames_2).abs().max() <= 2 and (frames_1 - frames_2).abs().mean() < 0.01


def test_each_worker_runs_on_exit_itself_when_closed():
    stopped = {}
    workers = PinnedWorkers(2, on_exit=lambda i: stopped.__setitem__(i, threading.get_ident()))
    threads = workers.run(lambda i, _: threading.get_ident(), [None, None])
    workers.close()
    workers.close()  # a second close does nothing
    assert stopped == {0: threads[0], 1: threads[1]}


def test_a_world_dropped_without_close_stops_its_threads():
    """Its renderers are freed by their own threads, not by whichever thread collects the garbage."""
    before = threading.active_count()
    for _ in range(3):
        world = envs.make("Forage", num_envs=4, seed=0, vision_size=8, threads=2)
        world.reset(seed=0)
        world.step(torch.zeros(4, world.single_action_space.shape[0]))
        del world
        gc.collect()
    for thread in threading.enumerate():
        if thread.name.startswith("embodied-world"):
            thread.join(timeout=10)
    assert threading.active_count() == before
