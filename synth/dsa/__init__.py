"""DeepSeek Sparse Attention (DSA): PyTorch reference, Triton kernels, V3.2-style layer.

Every function takes ``backend="torch"`` (reference, differentiable) or ``"triton"``
(forward-only kernels; CUDA tensors, or CPU tensors under ``TRITON_INTERPRET=1``).
Needs the ``dsa`` extra: ``pip install -e .[dsa]``.
"""

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
