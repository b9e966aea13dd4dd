"""DSA attention configuration, using DeepSeek-V3.2 ``config.json`` field names."""

from __future__ import annotations

import dataclasses
from dataclasses import dataclass
from typing import Any, Mapping


@dataclass
class DSAConfig:
    """Defaults are DeepSeek-V3.2-Exp's attention; unknown keys of a config.json are ignored."""

    hidden_size: int = 7168
    num_attention_heads: int = 128
    q_lora_rank: int = 1536
    kv_lora_rank: int = 512
    qk_nope_head_dim: int = 128
    qk_rope_head_dim: int = 64
    v_head_dim: int = 128
    index_n_heads: int = 64
    index_head_dim: int = 128
    index_topk: int = 2048
    rope_theta: float = 10000.0
    rope_scaling: dict[str, Any] | None = None
    max_position_embeddings: int = 163840
    rms_norm_eps: float = 1e-6
    attention_bias: bool = False

    def __post_init__(self) -> None:
        checks = {
            "q_lora_rank must be positive (the indexer reads the q low-rank vector)": self.q_lora_rank > 0,
            "qk_rope_head_dim must be even": self.qk_rope_head_dim % 2 == 0,
            "index_head_dim must be a power of two (Hadamard rotation)": self.index_head_dim > 0
            and self.index_head_dim & (self.index_head_dim - 1) == 0,
            "the indexer's rope part (qk_rope_head_dim) must fit in index_head_dim": self.qk_rope_head_dim
            <= self.index_head_dim,
            "index_topk must be positive": self.index_topk > 0,
        }
        bad = [msg for msg, ok in checks.items() if not ok]
        if bad:
            raise ValueError("DSAConfig: " + "; ".join(bad))

    @classmethod
    def from_dict(cls, d: Mapping[str, Any]) -> "DSAConfig":
        names = {f.name for f in dataclasses.fields(cls)}
        return cls(**{k: v for k, v in d.items() if k in names})

    @property
    def qk_head_dim(self) -> int:
        return self.qk_nope_head_dim + self.qk_rope_head_dim
