"""DeepSeek Sparse Attention (DSA): PyTorch reference, Triton kernels, V3.2-style layer.

Every function takes ``backend="torch"`` (reference, differentiable) or ``"triton"``
(forward-only kernels; CUDA tensors, or CPU tensors under ``TRITON_INTERPRET=1``).
Needs the ``dsa`` extra: ``pip install -e .[dsa]``.

Agreement between the backends, as tested (fp32 inputs / bf16 inputs):
indexer logits 1e-4 / 1e-3 (rtol and atol, identical ``-inf`` pattern); sparse attention
output 1e-4 / 2e-2, lse 1e-4 / 1e-3; ``act_quant`` bit-identical. The FP8 indexer stays
within ``2**-3 · Σ_h |w_h| Σ_d |q_hd k_d|`` of the exact logits.
"""

try:
    import torch  # noqa: F401
except ImportError as exc:  # pragma: no cover - depends on the environment
    raise ImportError("synth.dsa needs PyTorch: pip install torch, then pip install -e .[dsa]") from exc

from .api import (
    BACKENDS,
    DSAOutput,
    act_quant,
    dequant,
    dsa_attention,
    indexer_logits,
    sparse_attention,
    topk_indices,
)
from .config import DSAConfig
from .hadamard import hadamard_transform
from .layer import DSAAux, DSACache, DSAttention, Indexer
from .loss import attention_target, indexer_kl_loss

__all__ = [
    "BACKENDS",
    "DSAAux",
    "DSACache",
    "DSAConfig",
    "DSAOutput",
    "DSAttention",
    "Indexer",
    "act_quant",
    "attention_target",
    "dequant",
    "dsa_attention",
    "hadamard_transform",
    "indexer_kl_loss",
    "indexer_logits",
    "sparse_attention",
    "topk_indices",
]
