"""Triton kernels against the torch reference (interpreter on CPU, or a GPU if present)."""

import pytest

torch = pytest.importorskip("torch")
pytest.importorskip("triton")

import synth.dsa as dsa  # noqa: E402

DEVICE = "cuda" if torch.cuda.is_available() else "cpu"


def rand(g, *shape, dtype=torch.float32):
    return torch.randn(*shape, generator=g).to(device=DEVICE, dtype=dtype)


def assert_logits_close(got, want, rtol=1e-4, atol=1e-4):
    assert got.dtype == torch.float32 and got.shape == want.shape
    assert torch.equal(got.isneginf(), want.isneginf())
    fin = want.isfinite()
    torch.testing.assert_close(got[fin], want[fin], rtol=rtol, atol=atol)


INDEXER_CASES = [
    # B, T, S, H, D, q_start
    (2, 5, 37, 4, 32, None),  # ragged key / query tails
    (3, 1, 70, 8, 64, None),  # decode
    (1, 9, 9, 3, 24, 0),  # full prefill, D and H not powers of two
    (2, 4, 50, 16, 32, 10),  # chunk in the middle: keys past the chunk are masked
]


@pytest.mark.parametrize("B,T,S,H,D,q_start", INDEXER_CASES)
def test_indexer_logits(B, T, S, H, D, q_start):
    g = torch.Generator().manual_seed(S)
    q, k, w = rand(g, B, T, H, D), rand(g, B, S, D), rand(g, B, T, H)
    want = dsa.indexer_logits(q, k, w, q_start=q_start)
    got = dsa.indexer_logits(q, k, w, q_start=q_start, backend="triton")
    assert_logits_close(got, want)


def test_indexer_logits_bf16():
    g = torch.Generator().manual_seed(0)
    q, k, w = (
        rand(g, 2, 3, 4, 64, dtype=torch.bfloat16),
        rand(g, 2, 40, 64, dtype=torch.bfloat16),
        rand(g, 2, 3, 4, dtype=torch.bfloat16),
    )
    assert_logits_close(
        dsa.indexer_logits(q, k, w, backend="triton"), dsa.indexer_logits(q, k, w), rtol=1e-3, atol=1e-3
    )


@pytest.mark.parametrize("D,block", [(128, 128), (64, 32)])
def test_indexer_logits_fp8(D, block):
    g = torch.Generator().manual_seed(D)
    q, k, w = rand(g, 2, 3, 5, D), rand(g, 2, 45, D), rand(g, 2, 3, 5)
    want = dsa.indexer_logits(q, k, w, fp8=True, fp8_block=block)
    got = dsa.indexer_logits(q, k, w, fp8=True, fp8_block=block, backend="triton")
    assert_logits_close(got, want)


def test_act_quant_bitwise():
    g = torch.Generator().manual_seed(2)
    x = rand(g, 5, 7, 256) * torch.logspace(-7, 4, 7, device=DEVICE)[:, None]
    x[0, 0] = 0
    x[1, 1, :128] = 2.0**-20  # below the amax floor
    x[2, 2, 1::2] = -0.0
    x[3] = torch.randn(7, 256, generator=g).to(DEVICE) * torch.logspace(
        -6, 3, 256, device=DEVICE
    )  # range inside a block
    for block in (128, 32):
        y1, s1 = dsa.act_quant(x, block)
        y2, s2 = dsa.act_quant(x, block, backend="triton")
        assert torch.equal(s1, s2)
        assert torch.equal(y1.view(torch.uint8), y2.view(torch.uint8))


def test_topk_with_ties_same_selected_values():
    g = torch.Generator().manual_seed(4)
    logits = torch.randint(0, 5, (2, 4, 40), generator=g).float().to(DEVICE)
    logits[1, 2, 7:] = float("-inf")
    a = dsa.topk_indices(logits, 16)
    b = dsa.topk_indices(logits, 16, backend="triton")
    pick = lambda idx: torch.where(idx >= 0, torch.gather(logits, -1, idx.clamp_min(0).long()), float("-inf"))  # noqa: E731
    assert torch.equal(pick(a).sort(-1).values, pick(b).sort(-1).values)


def make_indices(g, B, T, S, K, *, drop=0.3):
    idx = torch.stack([torch.randperm(S, generator=g)[: min(K, S)] for _ in range(B * T)]).view(B, T, -1)
    if K > S:
        idx = torch.cat([idx, torch.full((B, T, K - S), -1)], -1)
    idx[torch.rand(idx.shape, generator=g) < drop] = -1
    return idx.int().to(DEVICE)


SPARSE_CASES = [
    # B, T, H, S, D, d_v, K
    (2, 3, 5, 37, 40, 32, 20),  # ragged: H, K, rest dims
    (3, 1, 17, 70, 72, 64, 33),  # decode, more heads than one head block
    (2, 2, 4, 10, 24, 16, 16),  # S < K: padded selections
    (1, 2, 1, 9, 16, 16, 5),  # one head, no rope part (d_v == D)
]


@pytest.mark.parametrize("B,T,H,S,D,d_v,K", SPARSE_CASES)
def test_sparse_attention(B, T, H, S, D, d_v, K):
    g = torch.Generator().manual_seed(H * S)
    q, kv = rand(g, B, T, H, D), rand(g, B, S, D)
    idx = make_indices(g, B, T, S, K)
    idx[0, -1] = -1  # a query with nothing to attend to
    want_out, want_lse = dsa.sparse_attention(q, kv, idx, D**-0.5, d_v)
    out, lse = dsa.sparse_attention(q, kv, idx, D**-0.5, d_v, backend="triton")
    assert out.shape == want_out.shape and out.dtype == q.dtype and lse.dtype == torch.float32
    assert not out.isnan().any() and not lse.isnan().any()
    assert (out[0, -1] == 0).all() and lse[0, -1].isneginf().all()
    torch.testing.assert_close(out, want_out, rtol=1e-4, atol=1e-4)
    assert torch.equal(lse.isneginf(), want_lse.isneginf())
    fin = want_lse.isfinite()
    torch.testing.assert_close(lse[fin], want_lse[fin], rtol=1e-4, atol=1e-4)


def test_sparse_attention_bf16_and_duplicate_indices():
    g = torch.Generator().manual_seed(7)
    B, T, H, S, D, d_v, K = 2, 2, 16, 30, 80, 64, 24
    q, kv = rand(g, B, T, H, D, dtype=torch.bfloat16), rand(g, B, S, D, dtype=torch.bfloat16)
    idx = make_indices(g, B, T, S, K)
    idx[:, :, 1] = idx[:, :, 0].clamp_min(3)  # a row selected twice counts twice, on both backends
    want_out, want_lse = dsa.sparse_attention(q, kv, idx, 0.1, d_v)
    out, lse = dsa.sparse_attention(q, kv, idx, 0.1, d_v, backend="triton")
    assert out.dtype == torch.bfloat16
    torch.testing.assert_close(out.float(), want_out.float(), rtol=2e-2, atol=2e-2)
    torch.testing.assert_close(lse, want_lse, rtol=1e-3, atol=1e-3)


def dense_causal_attention(q, kv, d_v, scale, q_start):
    B, T, H, D = q.shape
    S = kv.shape[1]
    scores = torch.einsum("bthd,bsd->bths", q.double(), kv.double()) * scale
    allowed = torch.arange(S, device=q.device)[None, :] <= q_start + torch.arange(T, device=q.device)[:, None]
    scores = scores.masked_fill(~allowed[None, :, None, :], float("-inf"))
    return torch.einsum("bths,bsd->bthd", torch.softmax(scores, -1), kv.double()[..., :d_v])


@pytest.mark.parametrize("T,S,q_start,fp8", [(6, 21, 15, False), (1, 33, 32, True), (8, 8, 0, False)])
def test_dsa_attention_triton_dense_equivalence(T, S, q_start, fp8):
    g = torch.Generator().manual_seed(S)
    B, H, D, d_v, HI, DI = 2, 4, 40, 32, 4, 128 if fp8 else 32
    q, kv = rand(g, B, T, H, D), rand(g, B, S, D)
    qi, ki, w = rand(g, B, T, HI, DI), rand(g, B, S, DI), rand(g, B, T, HI)
    res = dsa.dsa_attention(
        q, kv, qi, ki, w, topk=S + 3, sm_scale=0.2, d_v=d_v, q_start=q_start, fp8=fp8, backend="triton"
    )
    torch.testing.assert_close(res.out.double(), dense_causal_attention(q, kv, d_v, 0.2, q_start), rtol=1e-4, atol=1e-4)


def test_dsa_attention_triton_matches_torch_when_sparse():
    g = torch.Generator().manual_seed(11)
    B, T, H, S, D, d_v, HI, DI, K = 2, 5, 4, 47, 40, 32, 4, 32, 9
    q, kv = rand(g, B, T, H, D), rand(g, B, S, D)
    qi, ki, w = rand(g, B, T, HI, DI), rand(g, B, S, DI), rand(g, B, T, HI)
    a = dsa.dsa_attention(q, kv, qi, ki, w, topk=K, sm_scale=0.2, d_v=d_v)
    b = dsa.dsa_attention(q, kv, qi, ki, w, topk=K, sm_scale=0.2, d_v=d_v, backend="triton")
    assert torch.equal(a.indices.sort(-1).values, b.indices.sort(-1).values)
    torch.testing.assert_close(b.out, a.out, rtol=1e-4, atol=1e-4)


def test_indexer_logits_fp8_prequantised_keys():
    g = torch.Generator().manual_seed(12)
    q, k, w = rand(g, 1, 2, 3, 128), rand(g, 1, 19, 128), rand(g, 1, 2, 3)
    want = dsa.indexer_logits(q, k, w, fp8=True)
    cache = dsa.act_quant(k)
    assert_logits_close(dsa.indexer_logits(q, cache, w, fp8=True), want, rtol=0, atol=0)
    assert_logits_close(dsa.indexer_logits(q, cache, w, fp8=True, backend="triton"), want)
    with pytest.raises(ValueError, match="fp8=True"):
        dsa.indexer_logits(q, cache, w)
