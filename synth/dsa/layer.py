"""DeepSeek-V3.2-style attention layer: MLA in MQA mode with the lightning indexer."""

from __future__ import annotations

from dataclasses import dataclass
from typing import NamedTuple

import torch
from torch import nn

from .api import dsa_attention
from .config import DSAConfig
from .hadamard import hadamard_transform
from .rope import apply_rope, rope_cos_sin, rope_inv_freq, yarn_softmax_mscale


@dataclass
class DSACache:
    """Per-layer decode cache: the latent KV rows and the indexer keys of past tokens."""

    kv: torch.Tensor  # [B, max_len, kv_lora_rank + qk_rope_head_dim]
    index_k: torch.Tensor  # [B, max_len, index_head_dim]
    length: int = 0


class DSAAux(NamedTuple):
    """What :func:`synth.dsa.indexer_kl_loss` needs from a forward pass."""

    index_logits: torch.Tensor  # [B,T,S]
    indices: torch.Tensor  # [B,T,topk]
    q: torch.Tensor  # [B,T,H,kv_lora_rank + rope] absorbed queries
    kv: torch.Tensor  # [B,S,kv_lora_rank + rope] latent rows
    q_start: int


class Indexer(nn.Module):
    """Lightning indexer: few heads, one key per token, ReLU scores weighted per head."""

    def __init__(self, cfg: DSAConfig):
        super().__init__()
        self.n_heads, self.head_dim, self.rope_dim = cfg.index_n_heads, cfg.index_head_dim, cfg.qk_rope_head_dim
        self.wq_b = nn.Linear(cfg.q_lora_rank, self.n_heads * self.head_dim, bias=False)
        self.wk = nn.Linear(cfg.hidden_size, self.head_dim, bias=False)
        self.k_norm = nn.LayerNorm(self.head_dim)
        self.weights_proj = nn.Linear(cfg.hidden_size, self.n_heads, bias=False)

    def _rope_and_rotate(self, x, cos, sin):
        pe, rest = x.split([self.rope_dim, self.head_dim - self.rope_dim], dim=-1)
        pe = apply_rope(pe, cos, sin, interleaved=False)
        return hadamard_transform(torch.cat((pe, rest), dim=-1))

    def forward(self, x, qr, cos, sin):
        """x ``[B,T,hidden]``, qr ``[B,T,q_lora_rank]`` → q ``[B,T,H,D]``, k ``[B,T,D]``, w ``[B,T,H]``."""
        B, T, _ = x.shape
        q = self.wq_b(qr).view(B, T, self.n_heads, self.head_dim)
        q = self._rope_and_rotate(q, cos[:, None], sin[:, None])
        k = self._rope_and_rotate(self.k_norm(self.wk(x)), cos, sin)
        # V3.2 folds the head-count and the q·k scales into the head weights.
        w = self.weights_proj(x) * (self.n_heads**-0.5 * self.head_dim**-0.5)
        return q, k, w


class DSAttention(nn.Module):
    """Multi-head latent attention with DeepSeek Sparse Attention.

    The kv up-projection ``wkv_b`` is absorbed into the queries and the output, so attention
    runs in MQA mode over one latent row per token (``kv_lora_rank`` + rope dims), the rows
    chosen per query by the indexer's top-``index_topk``. Prefill and decode share one path:
    pass a :class:`DSACache` (from :meth:`new_cache`) to append to it and attend over it.

    ``backend`` selects the kernels (``"torch"`` trains; ``"triton"`` is forward-only);
    ``indexer_fp8`` runs the indexer with V3.2's FP8 recipe.
    """

    def __init__(self, config: DSAConfig, *, backend: str = "torch", indexer_fp8: bool = False):
        super().__init__()
        c = self.config = config
        self.backend, self.indexer_fp8 = backend, indexer_fp8
        self.n_heads = c.num_attention_heads
        bias = c.attention_bias
        self.wq_a = nn.Linear(c.hidden_size, c.q_lora_rank, bias=bias)
        self.q_norm = nn.RMSNorm(c.q_lora_rank, eps=c.rms_norm_eps)
        self.wq_b = nn.Linear(c.q_lora_rank, self.n_heads * c.qk_head_dim, bias=False)
        self.wkv_a = nn.Linear(c.hidden_size, c.kv_lora_rank + c.qk_rope_head_dim, bias=bias)
        self.kv_norm = nn.RMSNorm(c.kv_lora_rank, eps=c.rms_norm_eps)
        self.wkv_b = nn.Linear(c.kv_lora_rank, self.n_heads * (c.qk_nope_head_dim + c.v_head_dim), bias=False)
        self.wo = nn.Linear(self.n_heads * c.v_head_dim, c.hidden_size, bias=bias)
        self.indexer = Indexer(c)
        self.softmax_scale = c.qk_head_dim**-0.5 * yarn_softmax_mscale(c.rope_scaling)
        self.register_buffer(
            "inv_freq", rope_inv_freq(c.qk_rope_head_dim, c.rope_theta, c.rope_scaling), persistent=False
        )

    def new_cache(self, batch: int, max_len: int, *, device=None, dtype=None) -> DSACache:
        w = self.wkv_a.weight
        device, dtype = device or w.device, dtype or w.dtype
        c = self.config
        kv = torch.zeros(batch, max_len, c.kv_lora_rank + c.qk_rope_head_dim, device=device, dtype=dtype)
        index_k = torch.zeros(batch, max_len, c.index_head_dim, device=device, dtype=dtype)
        return DSACache(kv, index_k)

    def forward(self, x: torch.Tensor, cache: DSACache | None = None, *, return_aux: bool = False):
        """x ``[B,T,hidden]`` → ``[B,T,hidden]`` (and :class:`DSAAux` if ``return_aux``)."""
        c = self.config
        B, T, _ = x.shape
        start = cache.length if cache is not None else 0
        cos, sin = rope_cos_sin(torch.arange(start, start + T, device=x.device), self.inv_freq)

        qr = self.q_norm(self.wq_a(x))
        q = self.wq_b(qr).view(B, T, self.n_heads, c.qk_head_dim)
        q_nope, q_pe = q.split([c.qk_nope_head_dim, c.qk_rope_head_dim], dim=-1)
        q_pe = apply_rope(q_pe, cos[:, None], sin[:, None], interleaved=True)
        latent, k_pe = self.wkv_a(x).split([c.kv_lora_rank, c.qk_rope_head_dim], dim=-1)
        kv_new = torch.cat((self.kv_norm(latent), apply_rope(k_pe, cos, sin, interleaved=True)), dim=-1)
        # The indexer learns only from its own loss: cut its input from the main graph.
        iq, ik_new, iw = self.indexer(x.detach(), qr.detach(), cos, sin)

        if cache is not None:
            end = start + T
            if end > cache.kv.shape[1] or B > cache.kv.shape[0]:
                raise ValueError(f"DSACache too small: need batch {B}, length {end}; has {tuple(cache.kv.shape[:2])}")
            cache.kv[:B, start:end] = kv_new.to(cache.kv.dtype)
            cache.index_k[:B, start:end] = ik_new.to(cache.index_k.dtype)
            cache.length = end
            kv, ik = cache.kv[:B, :end], cache.index_k[:B, :end]
        else:
            kv, ik = kv_new, ik_new

        # Absorb wkv_b: q_nope → latent space for the scores, latent output → v heads.
        w_kv = self.wkv_b.weight.view(self.n_heads, c.qk_nope_head_dim + c.v_head_dim, c.kv_lora_rank)
        w_uk, w_uv = w_kv.split([c.qk_nope_head_dim, c.v_head_dim], dim=1)
        q_full = torch.cat((torch.einsum("bthd,hdc->bthc", q_nope, w_uk), q_pe), dim=-1)

        res = dsa_attention(
            q_full,
            kv,
            iq,
            ik,
            iw,
            topk=c.index_topk,
            sm_scale=self.softmax_scale,
            d_v=c.kv_lora_rank,
            q_start=start,
            fp8=self.indexer_fp8,
            fp8_block=min(128, c.index_head_dim),
            backend=self.backend,
        )
        out = torch.einsum("bthc,hvc->bthv", res.out, w_uv)
        out = self.wo(out.flatten(2))
        if not return_aux:
            return out
        return out, DSAAux(res.index_logits, res.indices, q_full, kv, start)
