"""`--concurrency` as one cap per endpoint across every process of a Ray run.

The driver creates a named actor per endpoint holding that many slots; each request takes one for its
duration, whichever worker sends it, so a worker with more to send uses the slots an idle one leaves free.
Outside Ray, a process's own cap is the whole cap.
"""

from __future__ import annotations

from functools import cache

from synth.ids import digest
from synth.model.endpoint import ModelConfig

NAMESPACE = "synth"


def slots_name(config: ModelConfig) -> str:
    return f"synth-slots-{digest(str(config.resolved_base_url or config.provider), config.model)}"


@cache
def _actor_class():
    import asyncio

    import ray

    @ray.remote(num_cpus=0)
    class EndpointSlots:
        def __init__(self, slots: int):
            self.free = asyncio.Semaphore(slots)

        async def acquire(self) -> None:
            await self.free.acquire()

        def release(self) -> None:
            self.free.release()

    return EndpointSlots


def create_slots(config: ModelConfig):
    """(Driver) the endpoint's shared slots; keep the handle for as long as the run lasts."""
    return (
        _actor_class()
        .options(name=slots_name(config), namespace=NAMESPACE, get_if_exists=True)
        .remote(config.concurrency)
    )


class SharedSlots:
    """Takes one of the endpoint's shared slots for the duration of a `with` block."""

    def __init__(self, actor):
        self.actor = actor

    def __enter__(self) -> "SharedSlots":
        import ray

        ray.get(self.actor.acquire.remote())
        return self

    def __exit__(self, *exc) -> None:
        self.actor.release.remote()


def shared_slots(config: ModelConfig) -> SharedSlots | None:
    """The run's shared slots for this endpoint, when this process is a worker of a Ray run that made them."""
    try:
        import ray

        if not ray.is_initialized():
            return None
        return SharedSlots(ray.get_actor(slots_name(config), namespace=NAMESPACE))
    except (ImportError, ValueError):
        return None
