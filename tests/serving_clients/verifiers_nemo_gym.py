"""Runs inside a virtual environment holding verifiers 0.4.0: its `nemo_gym` taskset against a synth server.

    python verifiers_nemo_gym.py URL DATASET.jsonl PLAN.json   -> one JSON line: {"results": [...]}

The taskset's own code does the wire work: `NeMoGymTaskset.load` reads the exported rows, `NeMoGymTask.setup` seeds
the session (keeping only the cookies /seed_session set), `NeMoGymToolset.list_tools`/`call_tool` post each tool
call, and the `nemo_gym` reward converts the trace to Responses output items and posts /verify. What an RL harness
would do around them (sample a model, build the trace) is scripted from the plan: per episode, the row index, the
tool calls to make (name, JSON arguments) and the final assistant text. Episodes run interleaved, one step of each
in turn.
"""

import asyncio
import json
import sys
from pathlib import Path

from verifiers.v1.configs.agent import AgentConfig
from verifiers.v1.graph import MessageNode
from verifiers.v1.mcp import server as mcp_server
from verifiers.v1.tasksets.nemo_gym import NeMoGymConfig, NeMoGymTaskConfig, NeMoGymTaskset
from verifiers.v1.tasksets.nemo_gym.toolset import NeMoGymState, NeMoGymToolset
from verifiers.v1.trace import AgentInfo, Trace, TraceTask
from verifiers.v1.types import AssistantMessage, ToolCall, ToolMessage


class Episode:
    def __init__(self, task, toolset, plan):
        self.task, self.toolset, self.plan = task, toolset, plan
        self.trace = Trace(
            task=TraceTask(type=type(task).__name__, data=task.data),
            agent=AgentInfo(config=AgentConfig()),
            state=NeMoGymState(),
        )
        self.outputs, self.tools = [], []

    def add(self, message, sampled=False):
        parent = len(self.trace.nodes) - 1 if self.trace.nodes else None
        self.trace.nodes.append(MessageNode(parent=parent, message=message, sampled=sampled))

    async def start(self):
        await self.task.setup(self.trace, None)
        for message in self.task.data.prompt:
            self.add(message)
        token = mcp_server._call_state.set(self.trace.state)
        try:
            self.tools = [t.name for t in await self.toolset.list_tools()]
        finally:
            mcp_server._call_state.reset(token)

    async def call(self, i, name, arguments):
        call = ToolCall(id=f"call_{i}", name=name, arguments=json.dumps(arguments))
        self.add(AssistantMessage(tool_calls=[call]), sampled=True)
        token = mcp_server._call_state.set(self.trace.state)
        try:
            result = await self.toolset.call_tool(name, arguments)
        finally:
            mcp_server._call_state.reset(token)
        text = result.content[0].text
        self.outputs.append({"text": text, "is_error": result.is_error})
        self.add(ToolMessage(tool_call_id=call.id, content=text))

    async def finish(self):
        if self.plan.get("final") is not None:
            self.add(AssistantMessage(content=self.plan["final"]), sampled=True)
        reward = await self.task.nemo_gym(self.trace)
        return {
            "reward": reward,
            "info": self.trace.info.get("nemo_gym"),
            "outputs": self.outputs,
            "tools": self.tools,
            "cookies": sorted(self.trace.state.cookies),
        }


async def main(url, dataset, plan_path):
    plan = json.loads(Path(plan_path).read_text())
    config = NeMoGymConfig(dataset=Path(dataset), task=NeMoGymTaskConfig(resources_url=url))
    tasks = list(NeMoGymTaskset(config).load())
    toolset = NeMoGymToolset(config.tools)
    episodes = [Episode(tasks[p["row"]], toolset, p) for p in plan["episodes"]]
    await asyncio.gather(*(e.start() for e in episodes))
    for i in range(max((len(p["calls"]) for p in plan["episodes"]), default=0)):
        await asyncio.gather(*(e.call(i, *e.plan["calls"][i]) for e in episodes if i < len(e.plan["calls"])))
    results = await asyncio.gather(*(e.finish() for e in episodes))
    print(json.dumps({"results": results}))


if __name__ == "__main__":
    asyncio.run(main(*sys.argv[1:4]))
