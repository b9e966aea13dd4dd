"""Environment templates: the base class, tools, proposers, and discovery of envs/."""

from synth.env.proposer import proposer
from synth.env.template import EnvTemplate, TemplateError
from synth.env.tool import ToolArgumentError, ToolDefinitionError, tool
from synth.env.variant import Variant, VariantSpace
from synth.task import Program, TaskDraft

__all__ = ["EnvTemplate", "Program", "TaskDraft", "TemplateError", "ToolArgumentError", "ToolDefinitionError",
           "Variant", "VariantSpace", "proposer", "tool"]
