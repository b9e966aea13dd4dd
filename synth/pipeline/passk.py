"""pass@K: a model solves each validated task K times, many rollouts in flight at once.

Each rollout runs in a thread of its own with an environment sandbox of its own (sandboxes are reused
between rollouts and replaced after a crash); model calls share one client, whose semaphore caps the
requests in flight. Infrastructure failures (the endpoint gave up, the sandbox died) are stored like
every rollout but do not count towards the pass rate.
"""

from __future__ import annotations

import queue
import threading
from concurrent.futures import Future, ThreadPoolExecutor

from synth.agent.model_agent import ModelAgent
from synth.agent.rollout import run_rollout
from synth.config import RunConfig
from synth.env.registry import TemplateEntry
from synth.env.session import EnvSession
from synth.model.client import ChatClient
from synth.pipeline.passrate import SolverSample, failed_sample
from synth.pipeline.plan import EnvUnit
from synth.sandbox import SandboxCallError, SandboxError, get_backend
from synth.task import TaskSpec, Verdict


class RolloutPool:
    def __init__(self, unit: EnvUnit, config: RunConfig, client: ChatClient, size: int):
        self.unit, self.config, self.client = unit, config, client
        self.backend = get_backend(config.sandbox)
        self.executor = ThreadPoolExecutor(max_workers=size, thread_name_prefix=f"rollout-{unit.index}")
        self.idle: queue.SimpleQueue[EnvSession] = queue.SimpleQueue()
        self.sessions: list[EnvSession] = []
        self.lock = threading.Lock()

    def submit(self, task: TaskSpec) -> list[Future]:
        return [self.executor.submit(self._solve, task, k) for k in range(self.config.rollouts)]

    def _checkout(self) -> EnvSession:
        try:
            return self.idle.get_nowait()
        except queue.Empty:
            session = EnvSession(
                self.backend, TemplateEntry(folder=self.unit.folder, cls=None), self.unit.seed, self.config.limits
            )
            with self.lock:
                self.sessions.append(session)
            return session

    def _solve(self, task: TaskSpec, sample: int) -> SolverSample:
        agent = ModelAgent(self.client)
        agent_config = agent.agent_config(self.config.max_turns)
        try:
            env = self._checkout()
        except Exception as exc:
            return failed_sample(sample, "sandbox_error", f"environment failed to start: {exc}", agent_config)
        try:
            rollout = run_rollout(env, task, agent, max_turns=self.config.max_turns)
            verdict = env.verify(task.verifier, rollout.answer)
        except (SandboxError, SandboxCallError) as exc:
            env.close()
            partial = getattr(exc, "rollout", None)
            if partial is None:
                return failed_sample(sample, "sandbox_error", str(exc), agent_config)
            return SolverSample(
                sample=sample, rollout=partial, verdict=Verdict(passed=False, error=str(exc)), agent_config=agent_config
            )
        self.idle.put(env)
        return SolverSample(sample=sample, rollout=rollout, verdict=verdict, agent_config=agent_config)

    def close(self) -> None:
        self.executor.shutdown(wait=True, cancel_futures=True)
        with self.lock:
            for session in self.sessions:
                session.close()
            self.sessions = []
