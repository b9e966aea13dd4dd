import pytest

torch = pytest.importorskip("torch")

import synth.dsa as dsa  # noqa: E402

F = torch.nn.functional


def setup(seed=0, B=1, T=3, S=5, H=2, D=4):
    g = torch.Generator().manual_seed(seed)
    q = torch.randn(B, T, H, D, generator=g, dtype=torch.float64)
    kv = torch.randn(B, S, D, generator=g, dtype=torch.float64)
    logits = torch.randn(B, T, S, generator=g, dtype=torch.float64)
    return q, kv, logits


def causal(T, S, q_start):
    return torch.arange(S)[None, :] <= q_start + torch.arange(T)[:, None]


def test_target_is_head_mean_of_causal_softmax():
    q, kv, _ = setup(B=2, T=3, S=6, H=3)
    p = dsa.attention_target(q, kv, 0.5)
    scores = torch.einsum("bthd,bsd->bths", q, kv) * 0.5
    scores = scores.masked_fill(~causal(3, 6, 3)[None, :, None], float("-inf"))
    torch.testing.assert_close(p, torch.softmax(scores, -1).mean(2))


def test_dense_loss_matches_kl_div():
    q, kv, logits = setup(T=4, S=7)
    allowed = causal(4, 7, 3)
    logits = logits.masked_fill(~allowed, float("-inf"))
    loss = dsa.indexer_kl_loss(logits, q, kv, sm_scale=0.7, reduction="sum")
    p = dsa.attention_target(q, kv, 0.7)
    want = 0.0
    for t in range(4):
        m = allowed[t]
        want += F.kl_div(torch.log_softmax(logits[0, t, m], -1), p[0, t, m], reduction="sum")
    torch.testing.assert_close(loss, want)
    torch.testing.assert_close(dsa.indexer_kl_loss(logits, q, kv, sm_scale=0.7), want / 4)


def test_loss_vanishes_iff_indexer_matches_target():
    q, kv, logits = setup(T=3, S=6)
    p = dsa.attention_target(q, kv, 1.0)
    matched = p.log() + 3.0  # any per-row shift gives the same softmax
    assert dsa.indexer_kl_loss(matched, q, kv, sm_scale=1.0).abs() < 1e-12
    assert dsa.indexer_kl_loss(logits, q, kv, sm_scale=1.0) > 1e-3


def test_sparse_loss_restricts_to_selected():
    q, kv, logits = setup(T=3, S=6, H=2)
    idx = torch.tensor([[[0, 2, -1], [3, 1, 0], [5, -1, -1]]], dtype=torch.int32)
    loss = dsa.indexer_kl_loss(logits, q, kv, sm_scale=0.5, indices=idx, reduction="sum")
    want = 0.0
    for t in range(3):
        sel = [int(i) for i in idx[0, t] if i >= 0]
        scores = torch.einsum("hd,kd->hk", q[0, t], kv[0, sel]) * 0.5
        p = torch.softmax(scores, -1).mean(0)
        want += F.kl_div(torch.log_softmax(logits[0, t, sel], -1), p, reduction="sum")
    torch.testing.assert_close(loss, want)
    # logits outside the selection do not matter
    other = logits.clone()
    other[0, 0, 1] += 100.0
    torch.testing.assert_close(dsa.indexer_kl_loss(other, q, kv, sm_scale=0.5, indices=idx, reduction="sum"), loss)


def test_gradcheck_dense_and_sparse():
    q, kv, logits = setup(B=2, T=3, S=5)
    logits.requires_grad_(True)
    mask = causal(3, 5, 2)

    def dense(x):
        return dsa.indexer_kl_loss(x.masked_fill(~mask, float("-inf")), q, kv, sm_scale=0.5)

    assert torch.autograd.gradcheck(dense, (logits,))
    idx = torch.tensor([[0, 1, -1], [2, 0, 3], [4, 2, 1]], dtype=torch.int32).expand(2, 3, 3)
    assert torch.autograd.gradcheck(lambda x: dsa.indexer_kl_loss(x, q, kv, sm_scale=0.5, indices=idx), (logits,))


def test_gradcheck_through_indexer_and_no_grad_into_main_attention():
    g = torch.Generator().manual_seed(3)
    B, T, S, HI, DI = 1, 2, 4, 2, 3
    qi = torch.randn(B, T, HI, DI, generator=g, dtype=torch.float64, requires_grad=True)
    ki = torch.randn(B, S, DI, generator=g, dtype=torch.float64, requires_grad=True)
    w = torch.randn(B, T, HI, generator=g, dtype=torch.float64, requires_grad=True)
    q, kv, _ = setup(T=T, S=S)
    q.requires_grad_(True)

    def loss(qi, ki, w):
        return dsa.indexer_kl_loss(dsa.indexer_logits(qi, ki, w), q, kv, sm_scale=0.5)

    assert torch.autograd.gradcheck(loss, (qi, ki, w))
    loss(qi, ki, w).backward()
    assert q.grad is None


def test_empty_rows_are_ignored():
    q, kv, logits = setup(T=2, S=4)
    idx = torch.tensor([[[1, 0], [-1, -1]]], dtype=torch.int32)
    loss = dsa.indexer_kl_loss(logits.requires_grad_(True), q, kv, sm_scale=0.5, indices=idx)
    loss.backward()
    assert loss.isfinite() and logits.grad.isfinite().all()
    assert (logits.grad[0, 1] == 0).all()
    with pytest.raises(ValueError):
        dsa.indexer_kl_loss(logits, q, kv, sm_scale=0.5, reduction="max")
