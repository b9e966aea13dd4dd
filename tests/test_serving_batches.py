"""The pool's workers send the calls that queue up during a round trip together (one `batch` request): each call
still gets its own result, in order, and a call that fails fails alone."""

from __future__ import annotations

import asyncio
import json

import pytest
from serving_support import reference_plan, small_run, stored

from synth.serving.pool import EnvPool, UnknownSession


@pytest.fixture(scope="module")
def run(bwrap):
    return small_run("text")


def test_calls_queued_together_keep_their_own_results_and_failures(run):
    rows, trajectories = stored(run)
    row = next(r for r in rows if r["shape"] == "retag")
    plan = reference_plan(row, trajectories[row["task_id"]])

    async def main():
        async with EnvPool(run, workers=1) as pool:
            worker = pool.workers[0]
            sizes = []
            original = worker._call

            def spy(method, params, timeout=None):
                sizes.append(len(params["calls"]) if method == "batch" else 1)
                return original(method, params, timeout)

            worker._call = spy
            episodes = await asyncio.gather(*(pool.open(row["task_id"]) for _ in range(12)))
            lost = episodes[5]
            await worker.call("close", {"session": lost.id})  # behind the pool's back: its next call must fail
            replies = await asyncio.gather(*(e.call("list_notes", {}) for e in episodes), return_exceptions=True)
            assert isinstance(replies[5], UnknownSession) and "is gone" in str(replies[5])
            listed = [r for i, r in enumerate(replies) if i != 5]
            assert all(r["ok"] for r in listed) and len({r["content"] for r in listed}) == 1
            # interleaved writes stay in their own sessions: every other episode does the whole retag
            right = [e for i, e in enumerate(episodes) if i % 2 == 0]
            for name, arguments in plan["calls"]:
                await asyncio.gather(*(e.call(name, arguments) for e in right))
            verdicts = await asyncio.gather(*(e.grade(plan["final"]) for i, e in enumerate(episodes) if i != 5))
            assert [v.passed for v in verdicts] == [i % 2 == 0 for i in range(12) if i != 5]
            assert max(sizes) > 1  # the calls did go in batches
            assert json.loads(listed[0]["content"])
            for e in episodes:
                await e.close()
            assert (await pool.stats())["workers"][0]["sessions"] == 0 and not pool.episodes

    asyncio.run(main())
