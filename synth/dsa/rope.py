"""Rotary position embeddings (with optional YaRN frequency scaling as in DeepSeek-V3)."""

from __future__ import annotations

import math
from typing import Any, Mapping

import torch


def rope_inv_freq(dim: int, theta: float, scaling: Mapping[str, Any] | None = None) -> torch.Tensor:
    """Inverse frequencies ``[dim // 2]`` (float64), YaRN-interpolated when ``scaling`` asks for it."""
    inv_freq = theta ** (-torch.arange(0, dim, 2, dtype=torch.float64) / dim)
    if not is_yarn(scaling):
        return inv_freq
    factor = float(scaling["factor"])
    original = float(scaling.get("original_max_position_embeddings", 4096))
    beta_fast = float(scaling.get("beta_fast", 32))
    beta_slow = float(scaling.get("beta_slow", 1))

    def dim_for_rotations(rotations: float) -> float:
        # The rotary dim whose wavelength fits `rotations` times into the original context.
        return dim * math.log(original / (rotations * 2 * math.pi)) / (2 * math.log(theta))

    low = max(math.floor(dim_for_rotations(beta_fast)), 0)
    high = min(math.ceil(dim_for_rotations(beta_slow)), dim - 1)
    ramp = ((torch.arange(dim // 2, dtype=torch.float64) - low) / max(high - low, 1e-3)).clamp(0, 1)
    # ramp 0: fast dims keep their frequency; ramp 1: slow dims are interpolated by `factor`.
    return inv_freq * (1 - ramp) + inv_freq / factor * ramp


def is_yarn(scaling: Mapping[str, Any] | None) -> bool:
    if not scaling:
        return False
    kind = scaling.get("type", scaling.get("rope_type"))
    return kind == "yarn" and float(scaling.get("factor", 1.0)) > 1.0


def yarn_softmax_mscale(scaling: Mapping[str, Any] | None) -> float:
    """Attention-logit multiplier YaRN asks for (its mscale squared); 1 without YaRN."""
    if not is_yarn(scaling):
        return 1.0
    mscale = 0.1 * float(scaling.get("mscale_all_dim", 1.0)) * math.log(float(scaling["factor"])) + 1.0
    return mscale * mscale


def rope_cos_sin(positions: torch.Tensor, inv_freq: torch.Tensor) -> tuple[torch.Tensor, torch.Tensor]:
    """``cos, sin`` of shape ``[len(positions), dim // 2]`` in float64."""
    angles = positions.to(torch.float64)[:, None] * inv_freq.to(positions.device)[None, :]
    return angles.cos(), angles.sin()


def apply_rope(x: torch.Tensor, cos: torch.Tensor, sin: torch.Tensor, *, interleaved: bool) -> torch.Tensor:
    """Rotate pairs of ``x [..., dim]``; ``cos``/``sin`` broadcast against ``x[..., : dim // 2]``.

    ``interleaved=True`` rotates adjacent pairs (2i, 2i+1) like MLA's rope dims;
    ``False`` rotates (i, i + dim/2) like the V3.2 indexer.
    """
    compute = torch.promote_types(x.dtype, torch.float32)
    xf = x.to(compute)
    cos, sin = cos.to(compute), sin.to(compute)
    if interleaved:
        x1, x2 = xf[..., 0::2], xf[..., 1::2]
    else:
        x1, x2 = xf.chunk(2, dim=-1)
    y1 = x1 * cos - x2 * sin
    y2 = x1 * sin + x2 * cos
    y = torch.stack((y1, y2), dim=-1).flatten(-2) if interleaved else torch.cat((y1, y2), dim=-1)
    return y.to(x.dtype)
