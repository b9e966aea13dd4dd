"""Resource limits shared by every sandbox backend."""

from __future__ import annotations

from pydantic import BaseModel, ConfigDict, Field


class SandboxLimits(BaseModel):
    """What one sandboxed process may use. Every backend enforces all of these."""

    model_config = ConfigDict(frozen=True)

    wall_timeout_s: float = Field(30.0, gt=0, description="wall clock for a run, or for one server call")
    cpu_s: int = Field(60, gt=0, description="CPU seconds per process (RLIMIT_CPU)")
    memory_mb: int = Field(1024, ge=64, description="address space per process (RLIMIT_AS)")
    max_procs: int = Field(64, ge=1, description="processes and threads of the sandbox user (RLIMIT_NPROC)")
    max_output_bytes: int = Field(1_000_000, ge=1024, description="stdout and stderr, each")
    max_file_mb: int = Field(64, ge=1, description="largest file the sandbox may write (RLIMIT_FSIZE)")
    scratch_mb: int = Field(256, ge=1, description="size of the private /tmp where the backend can cap it")
