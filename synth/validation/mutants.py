"""Source-level mutants of a solution program: small plausible bugs that a sound verifier must catch.

Pure `ast` rewriting on the host; the mutants themselves only ever run in the sandbox.
"""

from __future__ import annotations

import ast

from synth.task import Program

_COMPARE_SWAP = {
    ast.Lt: ast.GtE,
    ast.GtE: ast.Lt,
    ast.Gt: ast.LtE,
    ast.LtE: ast.Gt,
    ast.Eq: ast.NotEq,
    ast.NotEq: ast.Eq,
}
_CALL_SWAP = {"min": "max", "max": "min", "any": "all", "all": "any"}


def _sites(tree: ast.AST) -> list[ast.AST]:
    sites = []
    for node in ast.walk(tree):
        if isinstance(node, ast.Compare) and type(node.ops[0]) in _COMPARE_SWAP:
            sites.append(node)
        elif isinstance(node, ast.Call) and isinstance(node.func, ast.Name) and node.func.id in _CALL_SWAP:
            sites.append(node)
        elif isinstance(node, ast.BinOp) and isinstance(node.op, (ast.Add, ast.Sub, ast.Mult)):
            sites.append(node)
        elif isinstance(node, ast.Constant) and type(node.value) in (int, float) and not isinstance(node.value, bool):
            sites.append(node)
    return sites


def _mutate(node: ast.AST) -> None:
    if isinstance(node, ast.Compare):
        node.ops[0] = _COMPARE_SWAP[type(node.ops[0])]()
    elif isinstance(node, ast.Call):
        node.func.id = _CALL_SWAP[node.func.id]
    elif isinstance(node, ast.BinOp):
        node.op = ast.Sub() if isinstance(node.op, (ast.Add, ast.Mult)) else ast.Add()
    elif isinstance(node, ast.Constant):
        node.value = node.value + 1


def source_mutants(program: Program, limit: int = 3) -> list[Program]:
    """Up to `limit` single-site mutants, spread evenly over the program's mutable sites."""
    sites = len(_sites(ast.parse(program.source)))
    if not sites:
        return []
    picks = sorted({round(i * (sites - 1) / max(1, limit - 1)) for i in range(min(limit, sites))})
    mutants = []
    for index in picks:
        tree = ast.parse(program.source)
        _mutate(_sites(tree)[index])
        mutants.append(program.model_copy(update={"source": ast.unparse(tree)}))
    return mutants
