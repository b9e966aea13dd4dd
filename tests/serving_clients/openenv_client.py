"""Runs inside a virtual environment holding openenv-core 0.3.0: its own clients against a synth server.

    python openenv_client.py URL PLAN.json   -> one JSON line: {"results": [...], "checks": {...}}

Each planned episode is one `MCPToolClient` (one WebSocket session): reset with the task id, the planned tool calls
as CallToolActions, then the final message as an `answer` action unless a submit_answer call already ended the
episode. Episodes run interleaved, one step of each in turn. `checks` exercises the rest of the client surface
(list_tools, call_tool, state, GenericEnvClient, the server's error replies).
"""

import asyncio
import json
import sys
from pathlib import Path
from typing import Literal

from openenv.core.env_server.mcp_types import CallToolAction, ListToolsObservation
from openenv.core.env_server.types import Action
from openenv.core.generic_client import GenericEnvClient
from openenv.core.mcp_client import MCPToolClient


class AnswerAction(Action):
    """The final message, as this server's /schema declares it."""

    type: Literal["answer"] = "answer"
    content: str


class Episode:
    def __init__(self, url, plan):
        self.client, self.plan = MCPToolClient(base_url=url), plan
        self.outputs, self.reward, self.done, self.tools = [], None, False, []

    async def start(self):
        await self.client.connect()
        mode = {"answer_mode": self.plan["answer_mode"]} if self.plan.get("answer_mode") else {}
        reset = await self.client.reset(task_id=self.plan["task_id"], **mode)
        assert isinstance(reset.observation, ListToolsObservation), reset
        self.tools = [t.name for t in reset.observation.tools]

    async def call(self, name, arguments):
        if self.done:
            return
        step = await self.client.step(CallToolAction(tool_name=name, arguments=arguments))
        result = step.observation.result
        self.outputs.append({"text": result["data"], "is_error": result["is_error"]})
        if step.done:
            self.done, self.reward = True, step.reward

    async def finish(self):
        if not self.done:
            step = await self.client.step(AnswerAction(content=self.plan.get("final") or ""))
            self.done, self.reward = step.done, step.reward
        state = await self.client.state()
        await self.client.close()
        return {
            "reward": self.reward,
            "done": self.done,
            "outputs": self.outputs,
            "tools": self.tools,
            "state_steps": state.step_count,
        }


async def checks(url, task_id, tool_name):
    out = {}
    async with MCPToolClient(base_url=url) as env:
        await env.reset(task_id=task_id)
        out["tools"] = [t.name for t in await env.list_tools()]
        out["call_tool"] = await env.call_tool(tool_name)  # MCPToolClient returns the result's data: the text
        out["unknown_tool"] = await env.call_tool("no_such_tool")
        out["state"] = (await env.state()).model_dump()
        step = await env.step(CallToolAction(tool_name=tool_name, arguments={"no_such_argument": 1}))
        out["bad_arguments"] = step.observation.result
    async with GenericEnvClient(base_url=url) as env:
        try:
            await env.step({"type": "call_tool", "tool_name": tool_name, "arguments": {}})
        except RuntimeError as exc:
            out["step_before_reset"] = str(exc)
        try:
            await env.reset()
        except RuntimeError as exc:
            out["reset_without_task"] = str(exc)
        reset = await env.reset(task_id=task_id)
        out["generic_reset_keys"] = sorted(reset.observation)
        try:
            await env.step({"type": "call_tool", "tool_name": tool_name, "arguments": ["not", "an", "object"]})
        except RuntimeError as exc:
            out["arguments_not_an_object"] = str(exc)
        step = await env.step({"type": "answer", "content": "I do not know."})
        out["generic_answer"] = {"reward": step.reward, "done": step.done}
        try:
            await env.step({"type": "answer", "content": "again"})
        except RuntimeError as exc:
            out["step_after_done"] = str(exc)
        out["generic_state"] = await env.state()
    return out


async def main(url, plan_path):
    plan = json.loads(Path(plan_path).read_text())
    episodes = [Episode(url, p) for p in plan["episodes"]]
    await asyncio.gather(*(e.start() for e in episodes))
    for i in range(max((len(p["calls"]) for p in plan["episodes"]), default=0)):
        await asyncio.gather(*(e.call(*e.plan["calls"][i]) for e in episodes if i < len(e.plan["calls"])))
    results = await asyncio.gather(*(e.finish() for e in episodes))
    extra = await checks(url, **plan["checks"]) if plan.get("checks") else {}
    print(json.dumps({"results": results, "checks": extra}, default=str))


if __name__ == "__main__":
    asyncio.run(main(*sys.argv[1:3]))
