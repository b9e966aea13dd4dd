#!/usr/bin/env python3
"""Benchmark the DeepSeek Sparse Attention kernels of ``synth.dsa``.

On a GPU: the Triton indexer (bf16 and FP8) and sparse MLA attention at V3.2 sizes
(128 heads, Dqk=576, d_v=512, top-2048, indexer 64x128) for batch-64 decode at 8K/32K/128K
context and for one 4K-query chunk of a 64K-context prefill, against dense attention over
the same context with PyTorch SDPA. Without a GPU it runs toy sizes on CPU (torch backend
and the Triton interpreter) and says so; those times mean nothing.

    python bench/dsa.py            # table
    python bench/dsa.py --check    # first compare the Triton kernels with the reference
    python bench/dsa.py --tune     # also time a few kernel tile configurations
"""

from __future__ import annotations

import argparse
import os
import sys
import time
import traceback
from dataclasses import dataclass
from pathlib import Path

import torch

GPU = torch.cuda.is_available()
if not GPU:
    os.environ.setdefault("TRITON_INTERPRET", "1")  # before triton is imported
sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

import triton  # noqa: E402

import synth.dsa as dsa  # noqa: E402
from synth.dsa import triton_kernels as tk  # noqa: E402

DEV = "cuda" if GPU else "cpu"
DT = torch.bfloat16 if GPU else torch.float32


@dataclass
class Shape:
    name: str
    B: int
    T: int
    S: int  # context length (the queries are its last T positions)
    Hq: int = 128
    D: int = 576
    dv: int = 512
    K: int = 2048
    Hi: int = 64
    Di: int = 128
    fp8_block: int = 128


if GPU:
    SHAPES = [Shape(f"decode {s // 1024}K", 64, 1, s) for s in (8192, 32768, 131072)]
    SHAPES.append(Shape("prefill 64K (4K chunk)", 1, 4096, 65536))
else:
    toy = dict(Hq=16, D=72, dv=64, K=64, Hi=4, Di=32, fp8_block=32)
    SHAPES = [
        Shape("decode 256 (toy)", 2, 1, 256, **toy),
        Shape("decode 1K (toy)", 2, 1, 1024, **toy),
        Shape("prefill 512 (toy, 64q)", 1, 64, 512, **toy),
    ]


def bench_ms(fn) -> float:
    if GPU:
        return triton.testing.do_bench(fn, warmup=10, rep=50)
    fn()
    t0 = time.perf_counter()
    fn()
    return (time.perf_counter() - t0) * 1e3


def free() -> None:
    if GPU:
        torch.cuda.empty_cache()


def log(*a) -> None:
    print(*a, flush=True)


def visible_keys(s: Shape) -> int:
    """Σ over queries of the number of causally visible keys."""
    q_start = s.S - s.T
    return s.T * (q_start + 1) + s.T * (s.T - 1) // 2


def inputs(s: Shape, seed: int = 0):
    g = torch.Generator(device=DEV).manual_seed(seed)
    r = lambda *shape: torch.randn(*shape, device=DEV, dtype=DT, generator=g)  # noqa: E731
    q, kv = r(s.B, s.T, s.Hq, s.D), r(s.B, s.S, s.D)
    qi, ki, w = r(s.B, s.T, s.Hi, s.Di), r(s.B, s.S, s.Di), r(s.B, s.T, s.Hi).float()
    return q, kv, qi, ki, w


# ---------------------------------------------------------------------- dense baseline


def dense_attention(q, kv, dv, scale, q_start, head_chunk=None):
    """Dense MQA over the whole visible context with SDPA."""
    B, T, H, D = q.shape
    F = torch.nn.functional
    if T == 1:  # decode: fold the heads into the query length, no mask needed
        out = F.scaled_dot_product_attention(q.view(B, 1, H, D), kv[:, None], kv[:, None, :, :dv], scale=scale)
        return out.view(B, 1, H, dv)
    S = kv.shape[1]
    mask = torch.arange(S, device=q.device)[None, :] <= q_start + torch.arange(T, device=q.device)[:, None]
    qh = q.transpose(1, 2)
    hc = head_chunk or H
    outs = []
    for h0 in range(0, H, hc):  # head chunks bound the memory of the math fallback
        n = min(hc, H - h0)
        k = kv[:, None].expand(B, n, S, D)
        v = kv[:, None, :, :dv].expand(B, n, S, dv)
        outs.append(F.scaled_dot_product_attention(qh[:, h0 : h0 + n], k, v, attn_mask=mask, scale=scale))
    return torch.cat(outs, 1).transpose(1, 2)


def pick_dense(q, kv, dv, scale, q_start):
    """The first SDPA variant that runs: memory-efficient kernel, else PyTorch's own choice
    (head-chunked for prefill). Returns (label, fn)."""
    from torch.nn.attention import SDPBackend, sdpa_kernel

    def efficient():
        with sdpa_kernel([SDPBackend.EFFICIENT_ATTENTION]):
            return dense_attention(q, kv, dv, scale, q_start)

    variants = [("dense SDPA (mem-efficient)", efficient)] if GPU else []
    chunk = 8 if q.shape[1] > 1 else None
    variants.append(
        (
            f"dense SDPA (default{', 8-head chunks' if chunk else ''})",
            lambda: dense_attention(q, kv, dv, scale, q_start, head_chunk=chunk),
        )
    )
    for label, fn in variants:
        try:
            fn()
            return label, fn
        except Exception as exc:
            log(f"  ({label} unavailable: {type(exc).__name__}: {str(exc).splitlines()[0][:160]})")
            if GPU:
                torch.cuda.empty_cache()
    return "dense SDPA", None


# ------------------------------------------------------------------------------ table


def fmt(ms, flops=None):
    if ms is None:
        return "      n/a"
    t = f"{ms:9.3f}"
    return t + (f" ms {flops / ms / 1e9:6.1f} TF" if flops else " ms          ")


def run_shape(s: Shape, idx_cfg=None, attn_cfg=None) -> None:
    q, kv, qi, ki, w = inputs(s)
    scale = s.D**-0.5
    q_start = s.S - s.T
    vis = visible_keys(s)
    f_idx = 2.0 * s.B * vis * s.Hi * s.Di
    f_sparse = 2.0 * s.B * s.T * s.Hq * min(s.K, s.S) * (s.D + s.dv)
    f_dense = 2.0 * s.B * vis * s.Hq * (s.D + s.dv)
    rows, times = [], {}

    def timed(label, fn, flops=None):
        try:
            ms = bench_ms(fn)
        except Exception as exc:  # keep going: one failing piece should not hide the rest
            log(f"  {label}: ERROR {type(exc).__name__}: {str(exc).splitlines()[0][:200]}")
            ms = None
        times[label] = ms
        rows.append(f"  {label:<30}{fmt(ms, flops)}")
        log(rows[-1])
        return ms

    log(f"\n{s.name}: B={s.B} T={s.T} ctx={s.S} Hq={s.Hq} Dqk={s.D} d_v={s.dv} topk={s.K} indexer {s.Hi}x{s.Di} [{DT}]")
    k_cache = dsa.act_quant(ki, s.fp8_block, backend="triton")  # the FP8 key cache, quantised once
    timed(
        "indexer bf16" if GPU else "indexer",
        lambda: tk.indexer_logits(qi, ki, w, q_start=q_start, config=idx_cfg),
        f_idx,
    )
    timed(
        "indexer fp8 (fp8 k cache)",
        lambda: tk.indexer_logits(qi, k_cache, w, q_start=q_start, fp8=True, fp8_block=s.fp8_block, config=idx_cfg),
        f_idx,
    )
    logits = tk.indexer_logits(qi, k_cache, w, q_start=q_start, fp8=True, fp8_block=s.fp8_block)
    timed("top-k", lambda: dsa.topk_indices(logits, s.K))
    indices = dsa.topk_indices(logits, s.K)
    timed("sparse attention", lambda: tk.sparse_attention(q, kv, indices, scale, s.dv, config=attn_cfg), f_sparse)
    if times["indexer fp8 (fp8 k cache)"] and times["top-k"] and times["sparse attention"]:
        total = times["indexer fp8 (fp8 k cache)"] + times["top-k"] + times["sparse attention"]
        rows.append(f"  {'DSA total (fp8 idx+topk+attn)':<30}{fmt(total)}")
        log(rows[-1])
    else:
        total = None
    if not GPU:
        timed(
            "torch reference (dsa)",
            lambda: dsa.dsa_attention(q, kv, qi, ki, w, topk=s.K, sm_scale=scale, d_v=s.dv, q_start=q_start),
        )
    label, dense_fn = pick_dense(q, kv, s.dv, scale, q_start)
    dense = timed(label, dense_fn, f_dense) if dense_fn else None
    if dense and total:
        log(
            f"  speedup vs dense: attention only x{dense / times['sparse attention']:.1f}, "
            f"whole DSA x{dense / total:.1f}"
        )


# ----------------------------------------------------------------------------- checks


def rel_err(a, b):
    a, b = a.double(), b.double()
    both = torch.isfinite(b)
    if not torch.equal(torch.isfinite(a), both):
        return float("inf")
    return ((a - b)[both].abs().max() / b[both].abs().max().clamp_min(1e-30)).item()


def check() -> bool:
    """Triton kernels vs the torch reference on this device."""
    if GPU:
        cases = dict(B=2, Hq=128, D=576, dv=512, K=2048, Hi=64, Di=128, blk=128)
        ctx = [(1, 5000, None), (3, 3000, None), (200, 2500, 1000)]  # (T, S, q_start)
    else:
        cases = dict(B=2, Hq=16, D=72, dv=64, K=64, Hi=4, Di=32, blk=32)
        ctx = [(1, 300, None), (5, 200, 100)]
    c = cases
    ok = True
    g = torch.Generator(device=DEV).manual_seed(1)

    def report(name, err, tol):
        nonlocal ok
        good = err <= tol
        ok &= good
        log(f"  {'PASS' if good else 'FAIL'} {name:<52} rel.err {err:.2e} (tol {tol:.0e})")

    def guard(name, fn):
        nonlocal ok
        try:
            fn()
        except Exception:
            ok = False
            log(f"  FAIL {name}: exception")
            traceback.print_exc()

    log(f"correctness check on {DEV} ({'GPU' if GPU else 'Triton interpreter'})")

    def quant_case():
        x = torch.randn(64, 1024, device=DEV, generator=g) * torch.logspace(-6, 3, 1024, device=DEV)
        y1, s1 = dsa.act_quant(x, 128)
        y2, s2 = dsa.act_quant(x, 128, backend="triton")
        same = torch.equal(s1, s2) and torch.equal(y1.view(torch.uint8), y2.view(torch.uint8))
        report("act_quant bitwise equal", 0.0 if same else float("inf"), 0.0)

    guard("act_quant", quant_case)
    for T, S, q_start in ctx:
        for dt in dict.fromkeys((DT, torch.float32)):  # bf16 and fp32 on a GPU

            def idx_case(T=T, S=S, q_start=q_start, dt=dt):
                qi = torch.randn(c["B"], T, c["Hi"], c["Di"], device=DEV, generator=g).to(dt)
                ki = torch.randn(c["B"], S, c["Di"], device=DEV, generator=g).to(dt)
                w = torch.rand(c["B"], T, c["Hi"], device=DEV, generator=g)
                want = dsa.indexer_logits(qi, ki, w, q_start=q_start)
                got = dsa.indexer_logits(qi, ki, w, q_start=q_start, backend="triton")
                report(f"indexer {str(dt)[6:]} T={T} S={S}", rel_err(got, want), 1e-2 if dt != torch.float32 else 1e-5)
                want = dsa.indexer_logits(qi, ki, w, q_start=q_start, fp8=True, fp8_block=c["blk"])
                got = dsa.indexer_logits(qi, ki, w, q_start=q_start, fp8=True, fp8_block=c["blk"], backend="triton")
                report(f"indexer fp8 (from {str(dt)[6:]}) T={T} S={S}", rel_err(got, want), 1e-5)

            guard(f"indexer T={T} S={S} {dt}", idx_case)

            def attn_case(T=T, S=S, dt=dt):
                q = torch.randn(c["B"], T, c["Hq"], c["D"], device=DEV, generator=g).to(dt)
                kv = torch.randn(c["B"], S, c["D"], device=DEV, generator=g).to(dt)
                keys = torch.rand(c["B"], T, S, device=DEV, generator=g)
                idx = keys.topk(min(c["K"], S), -1).indices.int()
                idx[torch.rand(idx.shape, device=DEV, generator=g) < 0.2] = -1
                idx[0, 0] = -1  # a query with nothing to attend to
                want_o, want_l = dsa.sparse_attention(q, kv, idx, c["D"] ** -0.5, c["dv"])
                got_o, got_l = dsa.sparse_attention(q, kv, idx, c["D"] ** -0.5, c["dv"], backend="triton")
                tol = 2e-2 if dt != torch.float32 else 1e-4
                report(f"sparse attention out {str(dt)[6:]} T={T} S={S}", rel_err(got_o, want_o), tol)
                report(f"sparse attention lse {str(dt)[6:]} T={T} S={S}", rel_err(got_l, want_l), 1e-3)

            guard(f"sparse attention T={T} S={S} {dt}", attn_case)

    def dense_case():
        T = S = 300 if GPU else 40
        q = torch.randn(1, T, c["Hq"], c["D"], device=DEV, generator=g)
        kv = torch.randn(1, S, c["D"], device=DEV, generator=g)
        qi, ki = (
            torch.randn(1, T, c["Hi"], c["Di"], device=DEV, generator=g),
            torch.randn(1, S, c["Di"], device=DEV, generator=g),
        )
        w = torch.randn(1, T, c["Hi"], device=DEV, generator=g)
        res = dsa.dsa_attention(
            q, kv, qi, ki, w, topk=S, sm_scale=0.05, d_v=c["dv"], fp8=True, fp8_block=c["blk"], backend="triton"
        )
        s = torch.einsum("bthd,bsd->bths", q.double(), kv.double()) * 0.05
        s = s.masked_fill(torch.ones(T, S, dtype=torch.bool, device=DEV).triu(1)[None, :, None], float("-inf"))
        want = torch.einsum("bths,bsd->bthd", s.softmax(-1), kv.double()[..., : c["dv"]])
        report("dsa_attention == dense causal (S <= topk)", rel_err(res.out, want), 1e-4)

    guard("dense equivalence", dense_case)
    log("check: " + ("all passed" if ok else "FAILURES"))
    return ok


# ------------------------------------------------------------------------------- tune

IDX_CONFIGS = [
    dict(BLOCK_T=1, BLOCK_S=64, num_warps=4),
    dict(BLOCK_T=1, BLOCK_S=128, num_warps=4),
    dict(BLOCK_T=2, BLOCK_S=64, num_warps=4),
    dict(BLOCK_T=2, BLOCK_S=128, num_warps=8),
    dict(BLOCK_T=4, BLOCK_S=64, num_warps=8),
]
ATTN_CONFIGS = [
    dict(BLOCK_H=64, BLOCK_K=32, num_warps=8, num_stages=2),
    dict(BLOCK_H=64, BLOCK_K=16, num_warps=4, num_stages=2),
    dict(BLOCK_H=32, BLOCK_K=32, num_warps=4, num_stages=2),
    dict(BLOCK_H=64, BLOCK_K=64, num_warps=8, num_stages=1),
    dict(BLOCK_H=16, BLOCK_K=64, num_warps=4, num_stages=2),
]


def tune() -> None:
    """Time each tile configuration (and check it agrees with the default one)."""
    for s in [SHAPES[1], SHAPES[-1]]:
        tune_shape(s)
        free()


def tune_shape(s: Shape) -> None:
    log(f"\ntune {s.name}")
    q, kv, qi, ki, w = inputs(s, seed=3)
    q_start = s.S - s.T
    k_cache = dsa.act_quant(ki, s.fp8_block, backend="triton")
    base = tk.indexer_logits(qi, k_cache, w, q_start=q_start, fp8=True, fp8_block=s.fp8_block)
    flops = 2.0 * s.B * visible_keys(s) * s.Hi * s.Di
    for cfg in IDX_CONFIGS:
        if s.T == 1 and cfg["BLOCK_T"] > 1:
            continue
        try:
            fn = lambda: tk.indexer_logits(qi, k_cache, w, q_start=q_start, fp8=True, fp8_block=s.fp8_block, config=cfg)  # noqa: E731
            err = rel_err(fn(), base)
            log(f"  indexer fp8 {cfg}: {fmt(bench_ms(fn), flops)}  rel.err vs default {err:.1e}")
        except Exception as exc:
            log(f"  indexer fp8 {cfg}: ERROR {type(exc).__name__}: {str(exc).splitlines()[0][:160]}")
    indices = dsa.topk_indices(base, s.K)
    scale = s.D**-0.5
    base_o, _ = tk.sparse_attention(q, kv, indices, scale, s.dv)
    flops = 2.0 * s.B * s.T * s.Hq * s.K * (s.D + s.dv)
    for cfg in ATTN_CONFIGS:
        try:
            fn = lambda: tk.sparse_attention(q, kv, indices, scale, s.dv, config=cfg)  # noqa: E731
            err = rel_err(fn()[0], base_o)
            log(f"  sparse attn {cfg}: {fmt(bench_ms(fn), flops)}  rel.err vs default {err:.1e}")
        except Exception as exc:
            log(f"  sparse attn {cfg}: ERROR {type(exc).__name__}: {str(exc).splitlines()[0][:160]}")


def main() -> int:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--check", action="store_true", help="compare Triton with the reference first")
    ap.add_argument("--check-only", action="store_true", help="only run the correctness check")
    ap.add_argument("--tune", action="store_true", help="also time a few tile configurations")
    args = ap.parse_args()
    if GPU:
        log(f"device: {torch.cuda.get_device_name()} | torch {torch.__version__} | triton {triton.__version__}")
    else:
        log(
            f"no GPU: toy sizes on CPU (torch backend and the Triton interpreter); times are not meaningful "
            f"| torch {torch.__version__} | triton {triton.__version__}"
        )
    ok = True
    if args.check or args.check_only:
        ok = check()
        if args.check_only:
            return 0 if ok else 1
    log(
        "\nTFLOPS count useful work: indexer 2·B·(visible keys)·Hi·Di; sparse attention 2·B·T·Hq·topk·(Dqk+d_v); "
        "dense 2·B·(visible keys)·Hq·(Dqk+d_v). Dense = SDPA over the expanded MQA context."
    )
    t0 = time.time()
    for s in SHAPES:
        run_shape(s)
        free()
    log(f"\ntable done in {time.time() - t0:.0f}s")
    if args.tune:
        tune()
    return 0 if ok else 1


if __name__ == "__main__":
    sys.exit(main())
