"""Triton kernels for DeepSeek Sparse Attention (forward only).

* ``indexer_logits``: lightning-indexer scores, one program per (batch, query block,
  key block); the query block's heads are folded into the rows of one ``tl.dot``.
* ``sparse_attention``: MQA-mode attention over gathered latent rows with an online
  softmax; one program per (batch, query, head block), so all heads of a query share
  each gathered KV row.
* ``act_quant``: FP8 e4m3 quantisation with power-of-two block scales.

On CPU tensors the kernels run in Triton's interpreter (``TRITON_INTERPRET=1``); the
interpreter mis-computes low-precision ``tl.dot``, so operands are upcast there.
"""

from __future__ import annotations

import os

import torch
import triton
import triton.language as tl

from .quant import AMAX_FLOOR, FP8_DTYPE, FP8_MAX, check_block
from .reference import topk_indices  # torch.topk is used on both backends

__all__ = ["act_quant", "indexer_logits", "sparse_attention", "topk_indices"]

LOG2E = 1.4426950408889634


def interpreting() -> bool:
    return os.environ.get("TRITON_INTERPRET", "0") not in ("", "0")


def _check_device(*tensors: torch.Tensor) -> None:
    if interpreting():
        return
    if not all(t.is_cuda for t in tensors):
        raise RuntimeError(
            "backend='triton' needs CUDA tensors; for CPU tensors set TRITON_INTERPRET=1 "
            "before importing triton (slow, for testing) or use backend='torch'"
        )


def _dot_mode(dtype: torch.dtype) -> tuple[bool, bool]:
    """(cast operands to fp32, cast operands to bf16) for ``tl.dot`` on inputs of ``dtype``."""
    if interpreting() or dtype == torch.float32:
        return True, False
    if dtype == FP8_DTYPE and torch.cuda.get_device_capability()[0] < 9:
        return False, True  # native fp8 MMA needs Hopper or newer
    return False, False


def _pow2(n: int, lo: int = 16) -> int:
    return max(lo, triton.next_power_of_2(n))


@triton.jit
def _mm(a, b, CAST_F32: tl.constexpr, CAST_BF16: tl.constexpr):
    if CAST_F32:
        return tl.dot(a.to(tl.float32), b.to(tl.float32), input_precision="ieee")
    elif CAST_BF16:
        return tl.dot(a.to(tl.bfloat16), b.to(tl.bfloat16))
    else:
        return tl.dot(a, b)


# --------------------------------------------------------------------------- act_quant


@triton.jit
def _act_quant_kernel(
    x_ptr,
    y_ptr,
    s_ptr,
    BLOCK: tl.constexpr,
    FP8_MAX_C: tl.constexpr,
    AMAX_FLOOR_C: tl.constexpr,
    PRE_ROUND: tl.constexpr,
):
    pid = tl.program_id(0).to(tl.int64)
    offs = pid * BLOCK + tl.arange(0, BLOCK)
    x = tl.load(x_ptr + offs).to(tl.float32)
    amax = tl.maximum(tl.max(tl.abs(x), axis=0), AMAX_FLOOR_C)
    # Smallest power of two with amax <= 448 * scale, as in quant.pow2_scale.
    guess = (amax * (1.0 / FP8_MAX_C)).to(tl.int32, bitcast=True)
    exponent = ((guess >> 23) & 0xFF) + ((guess & 0x7FFFFF) != 0).to(tl.int32)
    scale = (exponent << 23).to(tl.float32, bitcast=True)
    exponent = exponent + (amax > FP8_MAX_C * scale).to(tl.int32) - (amax <= FP8_MAX_C * 0.5 * scale).to(tl.int32)
    scale = (exponent << 23).to(tl.float32, bitcast=True)
    inverse = ((254 - exponent) << 23).to(tl.float32, bitcast=True)
    y = tl.minimum(tl.maximum(x * inverse, -FP8_MAX_C), FP8_MAX_C)
    if PRE_ROUND:
        # The interpreter's fp32->fp8 cast drops the carry when rounding up crosses a power
        # of two; round to the e4m3 grid first (round-half-even via a magic-number add).
        bits = y.to(tl.int32, bitcast=True)
        e = tl.maximum((bits >> 23) & 0xFF, 121)  # 121: 2**-6, below it e4m3 is subnormal
        magic = (((e + 20) << 23) | 0x400000).to(tl.float32, bitcast=True)  # 1.5 * 2**23 * ulp
        r = (tl.abs(y) + magic) - magic
        y = (r.to(tl.int32, bitcast=True) | (bits & -0x80000000)).to(tl.float32, bitcast=True)  # keep the sign
    tl.store(y_ptr + offs, y.to(y_ptr.dtype.element_ty))
    tl.store(s_ptr + pid, scale)


def act_quant(x: torch.Tensor, block: int = 128) -> tuple[torch.Tensor, torch.Tensor]:
    check_block(x, block)
    _check_device(x)
    xc = x.contiguous()
    y = torch.empty(x.shape, dtype=FP8_DTYPE, device=x.device)
    s = torch.empty((*x.shape[:-1], x.shape[-1] // block), dtype=torch.float32, device=x.device)
    if x.numel():
        _act_quant_kernel[(xc.numel() // block,)](
            xc,
            y,
            s,
            BLOCK=block,
            FP8_MAX_C=FP8_MAX,
            AMAX_FLOOR_C=AMAX_FLOOR,
            PRE_ROUND=interpreting(),
        )
    return y, s


# ---------------------------------------------------------------------- indexer logits


@triton.jit
def _indexer_logits_kernel(
    q_ptr,
    k_ptr,
    w_ptr,
    qs_ptr,
    ks_ptr,
    out_ptr,
    T,
    S,
    H,
    D,
    q_start,
    NUM_S_BLOCKS,
    NUM_T_BLOCKS,
    sq_b,
    sq_t,
    sq_h,
    sk_b,
    sk_s,
    sw_b,
    sw_t,
    sqs_b,
    sqs_t,
    sqs_h,
    sks_b,
    sks_s,
    so_b,
    so_t,
    BLOCK_T: tl.constexpr,
    BLOCK_H: tl.constexpr,
    BLOCK_S: tl.constexpr,
    BLOCK_D: tl.constexpr,
    NUM_CHUNKS: tl.constexpr,
    SCALED: tl.constexpr,
    CAST_F32: tl.constexpr,
    CAST_BF16: tl.constexpr,
):
    # 1-D grid (CUDA limits the other axes to 65535): key blocks vary fastest.
    pid = tl.program_id(0)
    pid_s = pid % NUM_S_BLOCKS
    pid_t = (pid // NUM_S_BLOCKS) % NUM_T_BLOCKS
    b = (pid // (NUM_S_BLOCKS * NUM_T_BLOCKS)).to(tl.int64)
    t0 = pid_t * BLOCK_T
    s0 = pid_s * BLOCK_S

    # Row m of the dot is (query t0 + m // BLOCK_H, head m % BLOCK_H).
    offs_m = tl.arange(0, BLOCK_T * BLOCK_H)
    t_m = t0 + offs_m // BLOCK_H
    h_m = offs_m % BLOCK_H
    row_ok = (t_m < T) & (h_m < H)
    offs_s = s0 + tl.arange(0, BLOCK_S)
    s_ok = offs_s < S
    offs_d = tl.arange(0, BLOCK_D)

    acc = tl.zeros([BLOCK_T * BLOCK_H, BLOCK_S], dtype=tl.float32)
    if s0 <= q_start + t0 + BLOCK_T - 1:  # skip key blocks entirely in the future
        q_rows = q_ptr + b * sq_b + t_m.to(tl.int64) * sq_t + h_m * sq_h
        k_rows = k_ptr + b * sk_b + offs_s.to(tl.int64) * sk_s
        for c in range(NUM_CHUNKS):
            d = c * BLOCK_D + offs_d
            d_ok = d < D
            qv = tl.load(q_rows[:, None] + d[None, :], mask=row_ok[:, None] & d_ok[None, :], other=0.0)
            kv = tl.load(k_rows[:, None] + d[None, :], mask=s_ok[:, None] & d_ok[None, :], other=0.0)
            part = _mm(qv, tl.trans(kv), CAST_F32, CAST_BF16)
            if SCALED:  # one dequantisation scale per (row, chunk) on each side
                qsc = tl.load(qs_ptr + b * sqs_b + t_m.to(tl.int64) * sqs_t + h_m * sqs_h + c, mask=row_ok, other=0.0)
                ksc = tl.load(ks_ptr + b * sks_b + offs_s.to(tl.int64) * sks_s + c, mask=s_ok, other=0.0)
                part = part * qsc[:, None] * ksc[None, :]
            acc += part

    wv = tl.load(w_ptr + b * sw_b + t_m.to(tl.int64) * sw_t + h_m, mask=row_ok, other=0.0).to(tl.float32)
    scores = tl.maximum(acc, 0.0) * wv[:, None]
    logits = tl.sum(tl.reshape(scores, (BLOCK_T, BLOCK_H, BLOCK_S)), axis=1)

    offs_t = t0 + tl.arange(0, BLOCK_T)
    allowed = offs_s[None, :] <= q_start + offs_t[:, None]
    logits = tl.where(allowed, logits, float("-inf"))
    out = out_ptr + b * so_b + offs_t.to(tl.int64)[:, None] * so_t + offs_s[None, :]
    tl.store(out, logits, mask=(offs_t < T)[:, None] & s_ok[None, :])


def indexer_logits(q, k, w, *, q_start=None, fp8=False, fp8_block=128, config=None):
    B, T, H, D = q.shape
    k, ks = k if isinstance(k, tuple) else (k, None)
    S = k.shape[1]
    q_start = S - T if q_start is None else q_start
    _check_device(q, k, w)
    if fp8:
        q, qs = act_quant(q, fp8_block)
        k, ks = (k.contiguous(), ks.contiguous()) if ks is not None else act_quant(k, fp8_block)
        block_d, chunks = fp8_block, D // fp8_block
    else:
        q, k = q.contiguous(), k.contiguous()
        qs = ks = torch.ones(1, device=q.device)  # unused
        block_d, chunks = _pow2(D), 1
    w = w.contiguous()
    if w.dtype == torch.float64:
        w = w.float()
    cast_f32, cast_bf16 = _dot_mode(q.dtype)
    cfg = dict(BLOCK_T=1 if T == 1 else 2, BLOCK_S=32 if interpreting() else 64, num_warps=4)
    cfg.update(config or {})
    block_t, block_s = cfg.pop("BLOCK_T"), cfg.pop("BLOCK_S")
    out = torch.empty((B, T, S), dtype=torch.float32, device=q.device)
    if out.numel() == 0:
        return out
    n_s, n_t = triton.cdiv(S, block_s), triton.cdiv(T, block_t)
    _indexer_logits_kernel[(n_s * n_t * B,)](
        q,
        k,
        w,
        qs,
        ks,
        out,
        T,
        S,
        H,
        D,
        q_start,
        n_s,
        n_t,
        q.stride(0),
        q.stride(1),
        q.stride(2),
        k.stride(0),
        k.stride(1),
        w.stride(0),
        w.stride(1),
        *(qs.stride()[:3] if fp8 else (0, 0, 0)),
        *(ks.stride()[:2] if fp8 else (0, 0)),
        out.stride(0),
        out.stride(1),
        BLOCK_T=block_t,
        BLOCK_H=_pow2(H),
        BLOCK_S=block_s,
        BLOCK_D=block_d,
        NUM_CHUNKS=chunks,
        SCALED=fp8,
        CAST_F32=cast_f32,
        CAST_BF16=cast_bf16,
        **cfg,
    )
    return out


# -------------------------------------------------------------------- sparse attention


@triton.jit
def _sparse_attention_kernel(
    q_ptr,
    kv_ptr,
    idx_ptr,
    out_ptr,
    lse_ptr,
    T,
    H,
    K,
    D,
    DV,
    qk_scale,
    NUM_H_BLOCKS,
    sq_b,
    sq_t,
    sq_h,
    skv_b,
    skv_s,
    si_b,
    si_t,
    so_b,
    so_t,
    so_h,
    sl_b,
    sl_t,
    BLOCK_H: tl.constexpr,
    BLOCK_K: tl.constexpr,
    BLOCK_V: tl.constexpr,
    BLOCK_R: tl.constexpr,
    HAS_REST: tl.constexpr,
    CAST_F32: tl.constexpr,
):
    # 1-D grid; the head blocks of one query are neighbours, so they share gathered rows in L2.
    pid = tl.program_id(0)
    pid_h = pid % NUM_H_BLOCKS
    pid_bt = pid // NUM_H_BLOCKS
    b = (pid_bt // T).to(tl.int64)
    t = (pid_bt % T).to(tl.int64)

    offs_h = pid_h * BLOCK_H + tl.arange(0, BLOCK_H)
    h_ok = offs_h < H
    # The qk dims are split into the value dims [0, DV) and the rest [DV, D) (MLA's rope part).
    offs_v = tl.arange(0, BLOCK_V)
    v_ok = offs_v < DV
    q_rows = q_ptr + b * sq_b + t * sq_t + offs_h * sq_h
    q_v = tl.load(q_rows[:, None] + offs_v[None, :], mask=h_ok[:, None] & v_ok[None, :], other=0.0)
    if HAS_REST:
        offs_r = DV + tl.arange(0, BLOCK_R)
        r_ok = offs_r < D
        q_r = tl.load(q_rows[:, None] + offs_r[None, :], mask=h_ok[:, None] & r_ok[None, :], other=0.0)

    m_i = tl.full([BLOCK_H], float("-inf"), dtype=tl.float32)
    l_i = tl.zeros([BLOCK_H], dtype=tl.float32)
    acc = tl.zeros([BLOCK_H, BLOCK_V], dtype=tl.float32)
    idx_row = idx_ptr + b * si_b + t * si_t
    kv_base = kv_ptr + b * skv_b
    for k0 in range(0, K, BLOCK_K):
        offs_k = k0 + tl.arange(0, BLOCK_K)
        idx = tl.load(idx_row + offs_k, mask=offs_k < K, other=-1)
        ok = idx >= 0
        rows = kv_base + idx.to(tl.int64) * skv_s
        kv_v = tl.load(rows[:, None] + offs_v[None, :], mask=ok[:, None] & v_ok[None, :], other=0.0)
        s = _mm(q_v, tl.trans(kv_v), CAST_F32, False)
        if HAS_REST:
            kv_r = tl.load(rows[:, None] + offs_r[None, :], mask=ok[:, None] & r_ok[None, :], other=0.0)
            s += _mm(q_r, tl.trans(kv_r), CAST_F32, False)
        s = tl.where(ok[None, :], s * qk_scale, float("-inf"))  # log2 domain

        m_new = tl.maximum(m_i, tl.max(s, axis=1))
        m_use = tl.where(m_new == float("-inf"), 0.0, m_new)  # rows with nothing seen yet
        p = tl.exp2(s - m_use[:, None])
        alpha = tl.exp2(m_i - m_use)
        l_i = l_i * alpha + tl.sum(p, axis=1)
        acc = acc * alpha[:, None] + _mm(p.to(kv_v.dtype), kv_v, CAST_F32, False)
        m_i = m_new

    has_any = l_i > 0
    out = acc / tl.where(has_any, l_i, 1.0)[:, None]
    lse = tl.where(has_any, (m_i + tl.log2(tl.where(has_any, l_i, 1.0))) * 0.6931471805599453, float("-inf"))
    out_rows = out_ptr + b * so_b + t * so_t + offs_h * so_h
    tl.store(out_rows[:, None] + offs_v[None, :], out.to(out_ptr.dtype.element_ty), mask=h_ok[:, None] & v_ok[None, :])
    tl.store(lse_ptr + b * sl_b + t * sl_t + offs_h, lse, mask=h_ok)


def sparse_attention(q, kv, indices, sm_scale, d_v, *, config=None):
    B, T, H, D = q.shape
    K = indices.shape[-1]
    _check_device(q, kv, indices)
    q, kv = q.contiguous(), kv.contiguous()
    indices = indices.to(torch.int32).contiguous()
    out_dtype = q.dtype
    if q.dtype == torch.float64:  # the kernel accumulates in float32 anyway
        q, kv = q.float(), kv.float()
    cast_f32, _ = _dot_mode(q.dtype)
    if interpreting():
        cfg = dict(BLOCK_H=min(64, _pow2(H)), BLOCK_K=16)
    elif q.dtype == torch.float32:  # fp32 tiles are twice as large: keep shared memory in bounds
        cfg = dict(BLOCK_H=min(32, _pow2(H)), BLOCK_K=16, num_warps=4, num_stages=1)
    else:
        cfg = dict(BLOCK_H=min(64, _pow2(H)), BLOCK_K=32, num_warps=8, num_stages=2)
    cfg.update(config or {})
    block_h, block_k = cfg.pop("BLOCK_H"), cfg.pop("BLOCK_K")
    out = torch.empty((B, T, H, d_v), dtype=q.dtype, device=q.device)
    lse = torch.empty((B, T, H), dtype=torch.float32, device=q.device)
    if out.numel() == 0:
        lse.fill_(float("-inf"))
        return out, lse
    rest = D - d_v
    n_h = triton.cdiv(H, block_h)
    _sparse_attention_kernel[(n_h * B * T,)](
        q,
        kv,
        indices,
        out,
        lse,
        T,
        H,
        K,
        D,
        d_v,
        sm_scale * LOG2E,
        n_h,
        q.stride(0),
        q.stride(1),
        q.stride(2),
        kv.stride(0),
        kv.stride(1),
        indices.stride(0),
        indices.stride(1),
        out.stride(0),
        out.stride(1),
        out.stride(2),
        lse.stride(0),
        lse.stride(1),
        BLOCK_H=block_h,
        BLOCK_K=block_k,
        BLOCK_V=_pow2(d_v),
        BLOCK_R=_pow2(max(rest, 1)),
        HAS_REST=rest > 0,
        CAST_F32=cast_f32,
        **cfg,
    )
    return out.to(out_dtype), lse
