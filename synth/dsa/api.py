"""Public DSA functions: shape checks, then dispatch to the torch reference or Triton."""

from __future__ import annotations

from types import ModuleType
from typing import NamedTuple

import torch

from . import quant, reference

BACKENDS = ("torch", "triton")


def _impl(backend: str) -> ModuleType:
    if backend == "torch":
        return reference
    if backend == "triton":
        try:
            from . import triton_kernels
        except ImportError as exc:  # pragma: no cover - depends on the environment
            raise ImportError("backend='triton' needs triton: pip install -e .[dsa]") from exc
        return triton_kernels
    raise ValueError(f"unknown backend {backend!r}; expected one of {BACKENDS}")


def _forward_only(backend: str, *tensors: torch.Tensor) -> None:
    if backend == "triton" and torch.is_grad_enabled() and any(t.requires_grad for t in tensors):
        raise RuntimeError(
            "the triton backend is forward-only; use backend='torch' for training (or run under torch.no_grad())"
        )


def _require(cond: bool, msg: str) -> None:
    if not cond:
        raise ValueError(msg)


def indexer_logits(q, k, w, *, q_start=None, fp8=False, fp8_block=128, backend="torch"):
    """Lightning-indexer scores.

    q ``[B,T,H,D]``, k ``[B,S,D]``, w ``[B,T,H]`` → float32 ``[B,T,S]`` with
    ``logits[b,t,s] = Σ_h w[b,t,h] · relu(q[b,t,h] · k[b,s])`` for ``s ≤ q_start + t`` and
    ``-inf`` otherwise. ``q_start`` (default ``S - T``) is the position of the first query.

    ``fp8=True`` follows V3.2: q and k are quantised to e4m3 with one power-of-two scale per
    ``fp8_block`` values (``D`` must be a multiple of it) before the products. ``k`` may then
    also be a pre-quantised pair ``act_quant(k, fp8_block)`` (an FP8 key cache).
    """
    k_scale = None
    if isinstance(k, tuple):
        _require(fp8 and len(k) == 2, "indexer_logits: a (k_fp8, k_scale) pair needs fp8=True")
        k, k_scale = k
    _require(
        q.dim() == 4 and k.dim() == 3 and w.dim() == 3, "indexer_logits: expected q [B,T,H,D], k [B,S,D], w [B,T,H]"
    )
    B, T, H, D = q.shape
    _require(
        k.shape[0] == B and k.shape[2] == D, f"indexer_logits: k {tuple(k.shape)} does not match q {tuple(q.shape)}"
    )
    _require(tuple(w.shape) == (B, T, H), f"indexer_logits: w {tuple(w.shape)} should be {(B, T, H)}")
    S = k.shape[1]
    q_start = S - T if q_start is None else int(q_start)
    _require(q_start >= 0, f"indexer_logits: q_start={q_start} must be >= 0")
    if fp8:
        quant.check_block(q, fp8_block)
    if k_scale is not None:
        _require(k.dtype == quant.FP8_DTYPE, "indexer_logits: pre-quantised keys must be float8_e4m3fn")
        want = (B, S, D // fp8_block)
        _require(tuple(k_scale.shape) == want, f"indexer_logits: k_scale {tuple(k_scale.shape)} should be {want}")
        k = (k, k_scale)
    _forward_only(backend, q, w, *([] if k_scale is not None else [k]))
    return _impl(backend).indexer_logits(q, k, w, q_start=q_start, fp8=fp8, fp8_block=fp8_block)


def topk_indices(logits, k, *, backend="torch"):
    """int32 ``[B,T,k]``: positions of the ``k`` largest finite logits of each row, in any
    order; ``-1`` in the slots beyond the number of finite (non ``-inf``) entries."""
    _require(logits.dim() == 3, "topk_indices: expected logits [B,T,S]")
    _require(k >= 1, f"topk_indices: k={k} must be >= 1")
    return _impl(backend).topk_indices(logits, k)


def sparse_attention(q, kv, indices, sm_scale, d_v, *, backend="torch"):
    """MQA-mode sparse attention over selected latent rows.

    q ``[B,T,Hq,Dqk]``, kv ``[B,S,Dqk]`` (one row per token shared by all heads), indices
    ``[B,T,K]`` (int, ``-1`` = unused slot, else in ``[0, S)``) → ``out [B,T,Hq,d_v]``
    (values are ``kv[..., :d_v]``) and ``lse [B,T,Hq]`` (float32, natural log of the softmax
    denominator of ``sm_scale · q·k``). Rows with no valid index give zeros and ``-inf``.
    """
    _require(
        q.dim() == 4 and kv.dim() == 3 and indices.dim() == 3,
        "sparse_attention: expected q [B,T,H,D], kv [B,S,D], indices [B,T,K]",
    )
    B, T, _, D = q.shape
    _require(
        kv.shape[0] == B and kv.shape[2] == D,
        f"sparse_attention: kv {tuple(kv.shape)} does not match q {tuple(q.shape)}",
    )
    _require(
        tuple(indices.shape[:2]) == (B, T),
        f"sparse_attention: indices {tuple(indices.shape)} should start with {(B, T)}",
    )
    _require(not indices.dtype.is_floating_point, "sparse_attention: indices must be an integer tensor")
    _require(0 < d_v <= D, f"sparse_attention: d_v={d_v} must be in [1, {D}]")
    _forward_only(backend, q, kv)
    return _impl(backend).sparse_attention(q, kv, indices, sm_scale, d_v)


class DSAOutput(NamedTuple):
    out: torch.Tensor  # [B,T,Hq,d_v]
    lse: torch.Tensor  # [B,T,Hq]
    indices: torch.Tensor  # [B,T,topk] int32, -1 padded
    index_logits: torch.Tensor  # [B,T,S] float32


def dsa_attention(
    q, kv, q_idx, k_idx, w, *, topk, sm_scale, d_v, q_start=None, fp8=False, fp8_block=128, backend="torch"
):
    """Indexer → top-k selection → sparse attention.

    ``q/kv`` are the main attention's (see :func:`sparse_attention`), ``q_idx/k_idx/w`` the
    indexer's (see :func:`indexer_logits`). When no query has more than ``topk`` visible keys
    this is exactly dense causal attention.
    """
    logits = indexer_logits(q_idx, k_idx, w, q_start=q_start, fp8=fp8, fp8_block=fp8_block, backend=backend)
    indices = topk_indices(logits, topk, backend=backend)
    out, lse = sparse_attention(q, kv, indices, sm_scale, d_v, backend=backend)
    return DSAOutput(out, lse, indices, logits)


def act_quant(x, block=128, *, backend="torch"):
    """FP8 e4m3 quantisation with one power-of-two scale per ``block`` values of the last dim.

    Returns ``(y, scales)``: ``y`` float8_e4m3fn like ``x``, ``scales`` float32
    ``[..., N // block]``; ``dequant(y, scales)`` recovers ``x`` to within e4m3 rounding
    (relative error ≤ 2⁻⁴ for normal values, absolute ≤ 2⁻¹⁰·scale for tiny ones).
    """
    if backend == "torch":
        return quant.act_quant(x, block)
    return _impl(backend).act_quant(x, block)


dequant = quant.dequant
