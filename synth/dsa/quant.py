"""FP8 (e4m3) activation quantisation with one power-of-two scale per block.

This is the indexer's recipe in DeepSeek-V3.2: each block of ``block`` values along
the last dimension gets the smallest power-of-two scale with ``amax <= 448 * scale``
(``2**ceil(log2(amax / 448))``, amax clamped to 1e-4), so dividing by the scale is
exact and only the e4m3 rounding loses precision.
"""

from __future__ import annotations

import torch

FP8_DTYPE = torch.float8_e4m3fn
FP8_MAX = 448.0
AMAX_FLOOR = 1e-4


def pow2_scale(amax: torch.Tensor) -> tuple[torch.Tensor, torch.Tensor]:
    """The smallest power of two ``scale`` with ``amax <= 448 * scale``, and ``1 / scale``.

    Built from the IEEE bits and exact comparisons, so every backend gets the same bits.
    """
    guess = (amax.float() * (1.0 / FP8_MAX)).contiguous().view(torch.int32)
    exponent = ((guess >> 23) & 0xFF) + ((guess & 0x7FFFFF) != 0).to(torch.int32)
    # `guess` may be off by one ulp; fix the exponent with exact tests (448 * 2**e is exact).
    scale = (exponent << 23).view(torch.float32)
    exponent = exponent + (amax > FP8_MAX * scale).to(torch.int32) - (amax <= FP8_MAX * 0.5 * scale).to(torch.int32)
    scale = (exponent << 23).view(torch.float32)
    inverse = ((254 - exponent) << 23).view(torch.float32)
    return scale, inverse


def check_block(x: torch.Tensor, block: int) -> None:
    if block <= 0 or x.shape[-1] % block:
        raise ValueError(f"act_quant: last dim {x.shape[-1]} is not a multiple of block={block}")


def act_quant(x: torch.Tensor, block: int = 128) -> tuple[torch.Tensor, torch.Tensor]:
    """Quantise ``x [..., N]`` to float8_e4m3fn; returns ``(y [..., N], scales [..., N // block])``.

    ``x ≈ y.float() * scales.repeat_interleave(block, -1)`` (see :func:`dequant`).
    """
    check_block(x, block)
    blocks = x.float().unflatten(-1, (-1, block))
    amax = blocks.abs().amax(dim=-1).clamp_min(AMAX_FLOOR)
    scale, inverse = pow2_scale(amax)
    y = (blocks * inverse.unsqueeze(-1)).clamp(-FP8_MAX, FP8_MAX).to(FP8_DTYPE)
    return y.flatten(-2), scale


def dequant(y: torch.Tensor, scales: torch.Tensor) -> torch.Tensor:
    """Inverse of :func:`act_quant` (up to the e4m3 rounding), as float32."""
    block = y.shape[-1] // scales.shape[-1]
    return (y.float().unflatten(-1, (-1, block)) * scales.unsqueeze(-1)).flatten(-2)
