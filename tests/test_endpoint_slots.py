"""`--concurrency` caps an endpoint's requests in flight across every Ray worker together, and a busy worker
can use the slots an idle one leaves free (no even split)."""

import os

import pytest
from model_helpers import TEST_KEY, TEST_KEY_ENV, endpoint
from scripted_server import Reply, ScriptedServer


@pytest.fixture
def ray_local():
    import ray

    ray.init(
        num_cpus=3,
        include_dashboard=False,
        log_to_driver=False,
        configure_logging=False,
        runtime_env={"env_vars": {TEST_KEY_ENV: TEST_KEY, "PYTHONPATH": os.path.dirname(__file__)}},
    )
    yield ray
    ray.shutdown()


def burst(config, n):
    """One worker sending n requests at once through its process's shared client."""
    from concurrent.futures import ThreadPoolExecutor

    from synth.model.client import shared_client

    client = shared_client(config)
    with ThreadPoolExecutor(n) as pool:
        list(pool.map(lambda _: client.complete([{"role": "user", "content": "hi"}]), range(n)))
    return client.shared is not None


def test_the_cap_holds_across_workers_and_is_not_split(ray_local):
    from synth.model.slots import create_slots

    os.environ[TEST_KEY_ENV] = TEST_KEY
    with ScriptedServer(handler=lambda body, n: Reply(content="ok", delay_s=0.3)) as server:
        config = endpoint(server, concurrency=4)
        slots = create_slots(config)  # what the driver does for a run with this endpoint  # noqa: F841
        remote = ray_local.remote(burst)
        # two workers, 8 requests each: never more than 4 in flight together
        assert all(ray_local.get([remote.remote(config, 8), remote.remote(config, 8)]))
        assert server.max_in_flight == 4 and len(server.requests) == 16
        # one busy worker alone gets all 4 slots, not half of them
        server.max_in_flight = 0
        assert ray_local.get(remote.remote(config, 8))
        assert server.max_in_flight == 4
