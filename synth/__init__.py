"""synth: sandboxed agentic RL environments and verified tool-use tasks, at scale."""

__version__ = "0.1.0"
