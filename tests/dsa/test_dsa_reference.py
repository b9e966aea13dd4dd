"""The torch reference against direct, loop-level restatements of the definitions."""

import math

import pytest

torch = pytest.importorskip("torch")

import synth.dsa as dsa  # noqa: E402

NEG_INF = float("-inf")


def brute_indexer(q, k, w, q_start):
    B, T, H, _ = q.shape
    S = k.shape[1]
    out = torch.full((B, T, S), NEG_INF, dtype=torch.float64)
    for b in range(B):
        for t in range(T):
            for s in range(S):
                if s <= q_start + t:
                    out[b, t, s] = sum(float(w[b, t, h]) * max(float(q[b, t, h] @ k[b, s]), 0.0) for h in range(H))
    return out


@pytest.mark.parametrize("T,S,q_start", [(3, 7, None), (5, 5, 0), (2, 9, 3), (1, 6, None)])
def test_indexer_logits_matches_definition(T, S, q_start):
    g = torch.Generator().manual_seed(T * 100 + S)
    B, H, D = 2, 3, 5
    q = torch.randn(B, T, H, D, generator=g, dtype=torch.float64)
    k = torch.randn(B, S, D, generator=g, dtype=torch.float64)
    w = torch.randn(B, T, H, generator=g, dtype=torch.float64)
    got = dsa.indexer_logits(q, k, w, q_start=q_start)
    want = brute_indexer(q, k, w, S - T if q_start is None else q_start)
    assert got.shape == (B, T, S)
    assert torch.equal(got.isneginf(), want.isneginf())
    fin = want.isfinite()
    torch.testing.assert_close(got[fin], want[fin])


def test_indexer_logits_float32_output_for_low_precision_inputs():
    q = torch.randn(1, 2, 2, 8, dtype=torch.bfloat16)
    k = torch.randn(1, 4, 8, dtype=torch.bfloat16)
    w = torch.randn(1, 2, 2, dtype=torch.bfloat16)
    assert dsa.indexer_logits(q, k, w).dtype == torch.float32


def test_topk_selects_largest_and_pads():
    logits = torch.tensor([[[3.0, 1.0, 2.0, NEG_INF, 5.0], [NEG_INF] * 5, [1.0, NEG_INF, NEG_INF, NEG_INF, NEG_INF]]])
    idx = dsa.topk_indices(logits, 3)
    assert idx.dtype == torch.int32 and idx.shape == (1, 3, 3)
    assert set(idx[0, 0].tolist()) == {4, 0, 2}
    assert idx[0, 1].tolist() == [-1, -1, -1]
    assert sorted(idx[0, 2].tolist()) == [-1, -1, 0]
    wide = dsa.topk_indices(logits, 8)  # k > S
    assert wide.shape == (1, 3, 8)
    assert sorted(wide[0, 0].tolist()) == [-1, -1, -1, -1, 0, 1, 2, 4]


def test_topk_with_ties_selects_top_values():
    g = torch.Generator().manual_seed(0)
    logits = torch.randint(0, 4, (2, 3, 30), generator=g).float()  # many duplicates
    logits[0, 0, 10:] = NEG_INF
    k = 12
    idx = dsa.topk_indices(logits, k)
    for b in range(2):
        for t in range(3):
            row = logits[b, t]
            sel = idx[b, t][idx[b, t] >= 0].long()
            assert len(set(sel.tolist())) == len(sel)  # no position twice
            want = row[row.isfinite()].sort(descending=True).values[:k]
            assert torch.equal(row[sel].sort(descending=True).values, want)


def naive_sparse(q, kv, idx, scale, d_v):
    B, T, H, _ = q.shape
    out = torch.zeros(B, T, H, d_v, dtype=torch.float64)
    lse = torch.full((B, T, H), NEG_INF, dtype=torch.float64)
    for b in range(B):
        for t in range(T):
            sel = [int(i) for i in idx[b, t] if i >= 0]
            if not sel:
                continue
            rows = kv[b, sel].double()
            for h in range(H):
                s = rows @ q[b, t, h].double() * scale
                lse[b, t, h] = math.log(sum(math.exp(v) for v in s.tolist()))
                out[b, t, h] = torch.softmax(s, 0) @ rows[:, :d_v]
    return out, lse


def test_sparse_attention_matches_naive_with_padding_and_empty_rows():
    g = torch.Generator().manual_seed(1)
    B, T, H, S, D, d_v, K = 2, 3, 4, 11, 12, 8, 6
    q = torch.randn(B, T, H, D, generator=g)
    kv = torch.randn(B, S, D, generator=g)
    idx = torch.stack([torch.randperm(S, generator=g)[:K] for _ in range(B * T)]).view(B, T, K).int()
    idx[0, 1, 2:] = -1
    idx[1, 2, :] = -1  # no valid key at all
    out, lse = dsa.sparse_attention(q, kv, idx, 0.4, d_v)
    want_out, want_lse = naive_sparse(q, kv, idx, 0.4, d_v)
    assert out.shape == (B, T, H, d_v) and lse.shape == (B, T, H)
    assert not out.isnan().any() and not lse.isnan().any()
    torch.testing.assert_close(out.double(), want_out, rtol=1e-5, atol=1e-5)
    assert torch.equal(lse.isneginf(), want_lse.isneginf())
    assert lse[1, 2].isneginf().all() and (out[1, 2] == 0).all()
    fin = want_lse.isfinite()
    torch.testing.assert_close(lse.double()[fin], want_lse[fin], rtol=1e-5, atol=1e-5)


def dense_causal_attention(q, kv, d_v, scale, q_start):
    """Plain softmax attention, every query head against all visible latent rows."""
    B, T, H, D = q.shape
    S = kv.shape[1]
    k = kv.double()[:, None].expand(B, H, S, D)
    v = kv.double()[:, None, :, :d_v].expand(B, H, S, d_v)
    mask = torch.arange(S)[None, :] <= q_start + torch.arange(T)[:, None]
    out = torch.nn.functional.scaled_dot_product_attention(
        q.double().transpose(1, 2), k, v, attn_mask=mask, scale=scale
    )
    return out.transpose(1, 2)


@pytest.mark.parametrize("T,S,q_start", [(9, 9, 0), (4, 10, 6), (1, 12, 11)])
def test_dsa_equals_dense_when_every_row_fits(T, S, q_start):
    g = torch.Generator().manual_seed(S)
    B, H, D, d_v, HI, DI = 2, 3, 20, 16, 2, 8
    q = torch.randn(B, T, H, D, generator=g)
    kv = torch.randn(B, S, D, generator=g)
    qi, ki, w = (
        torch.randn(B, T, HI, DI, generator=g),
        torch.randn(B, S, DI, generator=g),
        torch.randn(B, T, HI, generator=g),
    )
    res = dsa.dsa_attention(q, kv, qi, ki, w, topk=S, sm_scale=0.3, d_v=d_v, q_start=q_start)
    torch.testing.assert_close(res.out.double(), dense_causal_attention(q, kv, d_v, 0.3, q_start), rtol=1e-5, atol=1e-5)
    # and it is not dense once topk is smaller than the visible context
    small = dsa.dsa_attention(q, kv, qi, ki, w, topk=2, sm_scale=0.3, d_v=d_v, q_start=q_start)
    assert (small.indices >= 0).sum(-1).max() == 2
    assert not torch.allclose(small.out[:, -1], res.out[:, -1])


def test_topk_ties_prefer_earlier_positions_on_every_dtype():
    g = torch.Generator().manual_seed(9)
    logits = torch.randint(0, 3, (2, 4, 50), generator=g).float()
    logits[logits == 2] = float("-inf")
    logits[0, 1, ::3] = -0.0  # signed zeros tie with zeros
    for k in (1, 7, 20):
        want = []
        for row in logits.view(-1, 50).tolist():
            order = sorted((i for i in range(50) if row[i] != float("-inf")), key=lambda i: (-row[i], i))[:k]
            want.append(sorted(order))
        for dt in (torch.float32, torch.float64):
            got = dsa.topk_indices(logits.to(dt), k).view(-1, k)
            for r, w in zip(got.tolist(), want):
                assert sorted(i for i in r if i >= 0) == w
        # a longer row of masked (future) keys does not change the choice
        longer = torch.cat([logits, torch.full((2, 4, 9), float("-inf"))], -1)
        assert torch.equal(dsa.topk_indices(longer, k), dsa.topk_indices(logits, k))
