"""Pure PyTorch reference of DeepSeek Sparse Attention: the numerical contract.

Everything is computed in float32 (float64 inputs stay float64) and is differentiable
with autograd; the Triton kernels are checked against these functions.
"""

from __future__ import annotations

import torch

from .quant import act_quant, dequant


def causal_allowed(T: int, S: int, q_start: int, device: torch.device) -> torch.Tensor:
    """Bool ``[T, S]``: query ``t`` (at position ``q_start + t``) may see key ``s``."""
    t = torch.arange(T, device=device)[:, None]
    s = torch.arange(S, device=device)[None, :]
    return s <= q_start + t


def _compute_dtype(x: torch.Tensor) -> torch.dtype:
    return torch.float64 if x.dtype == torch.float64 else torch.float32


def indexer_logits(q, k, w, *, q_start=None, fp8=False, fp8_block=128):
    """``logits[b,t,s] = Σ_h w[b,t,h] · relu(q[b,t,h] · k[b,s])``, ``-inf`` where ``s > q_start + t``."""
    if fp8:
        q = dequant(*act_quant(q, fp8_block))
        k = dequant(*k) if isinstance(k, tuple) else dequant(*act_quant(k, fp8_block))
    B, T, H, _ = q.shape
    S = k.shape[1]
    q_start = S - T if q_start is None else q_start
    dt = _compute_dtype(q)
    q, k, w = q.to(dt), k.to(dt), w.to(dt)
    k_t = k.transpose(1, 2)
    logits = q.new_zeros(B, T, S)
    for h in range(H):  # one head at a time keeps memory at O(B·T·S)
        logits = logits + w[:, :, h, None] * torch.relu(q[:, :, h] @ k_t)
    allowed = causal_allowed(T, S, q_start, q.device)
    return logits.masked_fill(~allowed, float("-inf"))


def topk_indices(logits, k):
    """Positions of the ``k`` largest unmasked logits per row (int32), ``-1`` padded.

    Ties are broken toward the earlier position, so the choice never depends on the row
    length (decode and prefill select the same keys).
    """
    S = logits.shape[-1]
    kk = min(k, S)
    logits = logits + 0.0  # -0.0 -> +0.0
    if logits.dtype == torch.float64:
        idx = torch.sort(logits, dim=-1, descending=True, stable=True).indices[..., :kk]
    else:
        idx = _tie_broken_keys(logits.float()).topk(kk, dim=-1).indices
    masked = torch.gather(logits, -1, idx) == float("-inf")
    idx = idx.masked_fill(masked, -1).to(torch.int32)
    if kk < k:
        pad = idx.new_full((*idx.shape[:-1], k - kk), -1)
        idx = torch.cat((idx, pad), dim=-1)
    return idx


def _tie_broken_keys(logits: torch.Tensor) -> torch.Tensor:
    """int64 keys ordered like the float32 ``logits``; equal logits order by earlier position."""
    bits = logits.view(torch.int32)
    ordered = bits ^ ((bits >> 31) & 0x7FFFFFFF)  # monotone map of IEEE floats to ints
    S = logits.shape[-1]
    later_first = torch.arange(S - 1, -1, -1, device=logits.device, dtype=torch.int64)
    return (ordered.to(torch.int64) << 32) | later_first


def gather_rows(kv: torch.Tensor, indices: torch.Tensor) -> torch.Tensor:
    """``kv [B,S,D]``, ``indices [B,T,K]`` → ``[B,T,K,D]`` (index -1 reads row 0)."""
    B = kv.shape[0]
    batch = torch.arange(B, device=kv.device)[:, None, None]
    return kv[batch, indices.clamp_min(0).long()]


def sparse_attention(q, kv, indices, sm_scale, d_v):
    """Softmax attention of each query over its own set of latent rows ``kv[b, indices[b,t]]``.

    Returns ``out [B,T,Hq,d_v]`` (dtype of q) and ``lse [B,T,Hq]`` (float32, natural log);
    rows without a valid index give zeros and ``lse = -inf``.
    """
    dt = _compute_dtype(q)
    rows = gather_rows(kv, indices).to(dt)  # [B,T,K,D]
    valid = (indices >= 0)[:, :, None, :]  # [B,T,1,K]
    scores = torch.einsum("bthd,btkd->bthk", q.to(dt), rows) * sm_scale
    scores = scores.masked_fill(~valid, float("-inf"))
    lse = torch.logsumexp(scores, dim=-1)
    probs = torch.exp(scores - lse.masked_fill(lse == float("-inf"), 0.0)[..., None])
    out = torch.einsum("bthk,btkd->bthd", probs, rows[..., :d_v])
    lse_dtype = torch.float64 if dt == torch.float64 else torch.float32
    return out.to(q.dtype), lse.to(lse_dtype)
