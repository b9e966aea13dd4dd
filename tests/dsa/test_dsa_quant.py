import pytest

torch = pytest.importorskip("torch")

import synth.dsa as dsa  # noqa: E402


def sample(seed, shape=(4, 6, 256)):
    g = torch.Generator().manual_seed(seed)
    x = torch.randn(shape, generator=g) * torch.logspace(-6, 3, shape[-2])[:, None]  # wide dynamic range
    x[0, 0] = 0.0  # an all-zero block
    return x


@pytest.mark.parametrize("block", [128, 32])
def test_round_trip_error_bound_and_power_of_two_scales(block):
    x = sample(block)
    y, s = dsa.act_quant(x, block)
    assert y.dtype == torch.float8_e4m3fn and y.shape == x.shape
    assert s.dtype == torch.float32 and s.shape == (*x.shape[:-1], x.shape[-1] // block)
    mantissa, _ = torch.frexp(s)
    assert (mantissa == 0.5).all(), "scales must be exact powers of two"
    amax = x.unflatten(-1, (-1, block)).abs().amax(-1).clamp_min(1e-4)
    ratio = amax / s  # the block's largest value lands in the top binade of e4m3
    assert (ratio > 224).all() and (ratio <= 448).all()
    xr = dsa.dequant(y, s)
    per_elem_scale = s.repeat_interleave(block, -1)
    bound = x.abs() * 2.0**-4 + per_elem_scale * 2.0**-10  # e4m3: 3 mantissa bits, subnormal step 2^-9
    assert ((xr - x).abs() <= bound).all()
    assert (xr[0, 0] == 0).all()


def test_quantisation_is_round_to_nearest():
    x = sample(3)
    y, s = dsa.act_quant(x)
    scale = s.repeat_interleave(128, -1)
    err = (dsa.dequant(y, s) - x).abs()
    codes = y.view(torch.uint8).int()
    for step in (-1, 1):  # the neighbouring e4m3 codes
        nb = ((codes + step) % 256).to(torch.uint8).view(torch.float8_e4m3fn).float()
        alt = (nb * scale - x).abs()
        ok = ~nb.isnan()
        assert (err[ok] <= alt[ok]).all()


def test_block_must_divide_last_dim():
    with pytest.raises(ValueError, match="multiple of block"):
        dsa.act_quant(torch.randn(2, 100), 128)


def test_fp8_indexer_close_to_exact():
    g = torch.Generator().manual_seed(5)
    B, T, H, D, S = 2, 3, 4, 128, 20
    q, k = torch.randn(B, T, H, D, generator=g), torch.randn(B, S, D, generator=g)
    w = torch.rand(B, T, H, generator=g)
    exact = dsa.indexer_logits(q, k, w)
    approx = dsa.indexer_logits(q, k, w, fp8=True)
    assert torch.equal(exact.isneginf(), approx.isneginf())
    # stated tolerance: per head |Δ(q·k)| ≤ 2^-3 · Σ_d |q_d k_d| (two e4m3 roundings of ≤ 2^-4 each, plus slack)
    mag = torch.einsum("bthd,bsd->bths", q.abs(), k.abs())
    bound = torch.einsum("bth,bths->bts", w.abs(), mag) * 2.0**-3 + 1e-3
    fin = exact.isfinite()
    assert ((approx - exact).abs()[fin] <= bound[fin]).all()
    assert not torch.equal(approx, exact)
