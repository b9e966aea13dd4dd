"""The indexer's training objective (KL to the main attention's distribution)."""

from __future__ import annotations

import torch

from .reference import causal_allowed, gather_rows


@torch.no_grad()
def attention_target(q, kv, sm_scale, *, indices=None, q_start=None):
    """Main attention summed over heads and L1-normalised: ``p [B,T,S]`` (dense) or
    ``p [B,T,K]`` over ``indices`` (sparse). No gradient flows into ``q``/``kv``."""
    B, T, H, _ = q.shape
    S = kv.shape[1]
    dt = torch.float64 if q.dtype == torch.float64 else torch.float32
    q, kv = q.to(dt), kv.to(dt)
    if indices is None:
        q_start = S - T if q_start is None else q_start
        valid = causal_allowed(T, S, q_start, q.device).expand(B, T, S)
        keys = kv.unsqueeze(1)  # [B,1,S,D]
    else:
        valid = indices >= 0
        keys = gather_rows(kv, indices)  # [B,T,K,D]
    total = torch.zeros(valid.shape, dtype=dt, device=q.device)
    for h in range(H):  # one head at a time keeps memory at O(B·T·S)
        scores = (keys @ q[:, :, h, :, None]).squeeze(-1) * sm_scale
        total += torch.softmax(scores.masked_fill(~valid, float("-inf")), dim=-1).nan_to_num(0.0)
    return total / total.sum(-1, keepdim=True).clamp_min(torch.finfo(dt).tiny)


def indexer_kl_loss(index_logits, q, kv, *, sm_scale, indices=None, q_start=None, reduction="mean"):
    """``KL(p_t || softmax(I_t))`` per query ``t``, reduced over queries.

    index_logits: ``[B,T,S]`` indexer scores (from ``indexer_logits(..., backend="torch")``;
        the gradient flows into them and nothing else).
    q, kv: the main attention's inputs, ``[B,T,Hq,Dqk]`` and ``[B,S,Dqk]``, with ``sm_scale``;
        they only define the target ``p`` (main attention summed over heads, L1-normalised)
        and are not differentiated.
    indices: ``None`` for the dense warm-up stage (all causal keys, ``q_start`` as in
        ``indexer_logits``); the ``[B,T,K]`` top-k selection for the sparse stage, where both
        ``p`` and the indexer's softmax are restricted to the selected keys.
    reduction: ``"mean"`` over queries with at least one key, or ``"sum"`` (the report's Σ_t).

    In the sparse stage the report also detaches the indexer's *input* from the main model's
    graph; ``DSAttention`` does that, so that the indexer learns only from this loss.
    """
    if reduction not in ("mean", "sum"):
        raise ValueError(f"reduction must be 'mean' or 'sum', got {reduction!r}")
    B, T, S = index_logits.shape
    target = attention_target(q, kv, sm_scale, indices=indices, q_start=q_start)
    dt = target.dtype
    if indices is None:
        q_start = S - T if q_start is None else q_start
        valid = causal_allowed(T, S, q_start, index_logits.device).expand(B, T, S)
        logits = index_logits.to(dt)
    else:
        valid = indices >= 0
        logits = torch.gather(index_logits.to(dt), -1, indices.clamp_min(0).long())
    row_ok = valid.any(-1, keepdim=True)
    logits = logits.masked_fill(~valid, float("-inf")).masked_fill(~row_ok, 0.0)
    log_q = torch.log_softmax(logits, dim=-1)
    keep = valid & (target > 0)
    log_p = torch.where(keep, target, 1.0).log()
    per_key = torch.where(keep, target * (log_p - torch.where(keep, log_q, 0.0)), 0.0)
    per_query = per_key.sum(-1)
    if reduction == "sum":
        return per_query.sum()
    return per_query.sum() / row_ok.sum().clamp_min(1)
