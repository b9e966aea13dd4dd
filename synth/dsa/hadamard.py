"""Orthonormal Walsh-Hadamard transform over the last dimension."""

from __future__ import annotations

import torch


def hadamard_transform(x: torch.Tensor) -> torch.Tensor:
    """``x @ H / sqrt(n)`` with ``H`` the n×n Sylvester Hadamard matrix (n a power of two).

    Fast O(n log n) butterfly; the transform is symmetric and its own inverse.
    """
    n = x.shape[-1]
    if n < 1 or n & (n - 1):
        raise ValueError(f"hadamard_transform: last dim must be a power of two, got {n}")
    y = x.reshape(-1, n)
    h = 1
    while h < n:
        # Pair element j with j + h inside every block of 2h elements.
        y = y.view(-1, n // (2 * h), 2, h)
        a, b = y[:, :, 0], y[:, :, 1]
        y = torch.stack((a + b, a - b), dim=2)
        h *= 2
    return (y.reshape(x.shape) * n**-0.5).to(x.dtype)
