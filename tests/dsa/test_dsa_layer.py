import math

import pytest

torch = pytest.importorskip("torch")

import synth.dsa as dsa  # noqa: E402
from synth.dsa.rope import apply_rope, rope_cos_sin, rope_inv_freq  # noqa: E402

V32_CONFIG = {  # attention fields of DeepSeek-V3.2-Exp's config.json, plus unrelated keys
    "architectures": ["DeepseekV32ForCausalLM"],
    "hidden_size": 7168,
    "num_attention_heads": 128,
    "q_lora_rank": 1536,
    "kv_lora_rank": 512,
    "qk_nope_head_dim": 128,
    "qk_rope_head_dim": 64,
    "v_head_dim": 128,
    "index_n_heads": 64,
    "index_head_dim": 128,
    "index_topk": 2048,
    "rope_theta": 10000,
    "rope_scaling": {
        "beta_fast": 32,
        "beta_slow": 1,
        "factor": 40,
        "mscale": 1.0,
        "mscale_all_dim": 1.0,
        "original_max_position_embeddings": 4096,
        "type": "yarn",
    },
    "max_position_embeddings": 163840,
    "n_routed_experts": 256,
}

TINY = dict(
    hidden_size=48,
    num_attention_heads=3,
    q_lora_rank=24,
    kv_lora_rank=16,
    qk_nope_head_dim=8,
    qk_rope_head_dim=8,
    v_head_dim=12,
    index_n_heads=2,
    index_head_dim=16,
    index_topk=5,
)


def test_config_from_dict():
    cfg = dsa.DSAConfig.from_dict(V32_CONFIG)
    assert (cfg.q_lora_rank, cfg.kv_lora_rank, cfg.index_topk, cfg.index_head_dim) == (1536, 512, 2048, 128)
    assert cfg.qk_head_dim == 192 and cfg.rope_scaling["factor"] == 40
    with pytest.raises(ValueError, match="power of two"):
        dsa.DSAConfig.from_dict({**V32_CONFIG, "index_head_dim": 96})


def test_hadamard_matches_sylvester_matrix():
    n = 16
    h = torch.ones(1, 1, dtype=torch.float64)
    while h.shape[0] < n:
        h = torch.cat([torch.cat([h, h], 1), torch.cat([h, -h], 1)], 0)
    x = torch.randn(3, 2, n, dtype=torch.float64)
    y = dsa.hadamard_transform(x)
    torch.testing.assert_close(y, x @ h / math.sqrt(n))
    torch.testing.assert_close(dsa.hadamard_transform(y), x)  # orthonormal and symmetric
    with pytest.raises(ValueError):
        dsa.hadamard_transform(torch.randn(2, 12))


@pytest.mark.parametrize("interleaved", [True, False])
def test_rope_is_a_relative_rotation(interleaved):
    d = 8
    inv = rope_inv_freq(d, 10000.0)
    cos, sin = rope_cos_sin(torch.arange(20), inv)
    q, k = torch.randn(d, dtype=torch.float64), torch.randn(d, dtype=torch.float64)
    rq, rk = (
        apply_rope(q.expand(20, d), cos, sin, interleaved=interleaved),
        apply_rope(k.expand(20, d), cos, sin, interleaved=interleaved),
    )
    torch.testing.assert_close(rq.norm(dim=-1), q.norm().expand(20))
    torch.testing.assert_close(rq[7] @ rk[3], rq[14] @ rk[10])  # depends on the offset only
    # which dims pair up: (0, 1) interleaved, (0, d/2) otherwise
    e0 = torch.zeros(1, d, dtype=torch.float64)
    e0[0, 0] = 1
    moved = apply_rope(e0, cos[1:2], sin[1:2], interleaved=interleaved)
    assert moved[0, 1 if interleaved else d // 2].abs() > 0.5


def test_yarn_keeps_fast_dims_and_stretches_slow_ones():
    plain = rope_inv_freq(64, 10000.0)
    yarn = rope_inv_freq(64, 10000.0, V32_CONFIG["rope_scaling"])
    torch.testing.assert_close(yarn[:4], plain[:4])
    torch.testing.assert_close(yarn[-4:], plain[-4:] / 40)
    layer = dsa.DSAttention(dsa.DSAConfig(**{**TINY, "rope_scaling": V32_CONFIG["rope_scaling"]}))
    assert layer.softmax_scale == pytest.approx(16**-0.5 * (0.1 * math.log(40) + 1) ** 2)


def make_layer(seed=0, **over):
    torch.manual_seed(seed)
    return dsa.DSAttention(dsa.DSAConfig(**{**TINY, **over})).double()


def test_decode_after_prefill_equals_full_prefill():
    layer = make_layer()
    x = torch.randn(2, 14, 48, dtype=torch.float64)
    with torch.no_grad():
        full = layer(x)
        cache = layer.new_cache(2, 16)
        parts = [layer(x[:, :8], cache)]
        parts += [layer(x[:, t : t + 1], cache) for t in range(8, 11)]
        parts.append(layer(x[:, 11:], cache))  # a multi-token chunk after decoding
    assert cache.length == 14
    torch.testing.assert_close(torch.cat(parts, 1), full, rtol=1e-10, atol=1e-10)
    # the selection is really sparse here: a larger top-k changes the result
    layer.config.index_topk = 14
    with torch.no_grad():
        assert not torch.allclose(layer(x)[:, -1], full[:, -1])


def naive_mla(layer, x):
    """Dense causal MLA without the absorption trick: per-head keys and values."""
    c = layer.config
    B, T, _ = x.shape
    H = c.num_attention_heads
    cos, sin = rope_cos_sin(torch.arange(T), layer.inv_freq)
    q = layer.wq_b(layer.q_norm(layer.wq_a(x))).view(B, T, H, -1)
    q_nope, q_pe = q.split([c.qk_nope_head_dim, c.qk_rope_head_dim], -1)
    q_pe = apply_rope(q_pe, cos[:, None], sin[:, None], interleaved=True)
    latent, k_pe = layer.wkv_a(x).split([c.kv_lora_rank, c.qk_rope_head_dim], -1)
    k_pe = apply_rope(k_pe, cos, sin, interleaved=True)
    kv = layer.wkv_b(layer.kv_norm(latent)).view(B, T, H, -1)
    k_nope, v = kv.split([c.qk_nope_head_dim, c.v_head_dim], -1)
    qh = torch.cat([q_nope, q_pe], -1).transpose(1, 2)
    kh = torch.cat([k_nope, k_pe[:, :, None].expand(B, T, H, -1)], -1).transpose(1, 2)
    out = torch.nn.functional.scaled_dot_product_attention(
        qh, kh, v.transpose(1, 2), is_causal=True, scale=layer.softmax_scale
    )
    return layer.wo(out.transpose(1, 2).flatten(2))


def test_absorbed_mqa_equals_naive_mla_when_dense():
    layer = make_layer(1, index_topk=64)
    x = torch.randn(2, 9, 48, dtype=torch.float64)
    with torch.no_grad():
        torch.testing.assert_close(layer(x), naive_mla(layer, x))


def test_fp8_indexer_decode_equals_prefill():
    layer = make_layer(2, index_head_dim=32)
    layer.indexer_fp8 = True
    x = torch.randn(1, 10, 48, dtype=torch.float64)
    with torch.no_grad():
        full = layer(x)
        cache = layer.new_cache(1, 10)
        inc = torch.cat([layer(x[:, :7], cache)] + [layer(x[:, t : t + 1], cache) for t in range(7, 10)], 1)
    torch.testing.assert_close(inc, full, rtol=1e-10, atol=1e-10)


def test_indexer_loss_trains_only_the_indexer():
    layer = make_layer(3)
    x = torch.randn(1, 9, 48, dtype=torch.float64, requires_grad=True)
    out, aux = layer(x, return_aux=True)
    out.sum().backward()  # the main loss reaches no indexer weight
    assert all(p.grad is None for p in layer.indexer.parameters())
    main = [p for n, p in layer.named_parameters() if not n.startswith("indexer.")]
    assert all(p.grad is not None for p in main)
    layer.zero_grad()
    x.grad = None
    out, aux = layer(x, return_aux=True)
    loss = dsa.indexer_kl_loss(
        aux.index_logits, aux.q, aux.kv, sm_scale=layer.softmax_scale, indices=aux.indices, q_start=aux.q_start
    )
    loss.backward()
    assert all(p.grad is not None for p in layer.indexer.parameters())
    assert all(p.grad is None for p in main) and x.grad is None


def test_cache_too_small():
    layer = make_layer()
    cache = layer.new_cache(1, 4)
    with pytest.raises(ValueError, match="too small"):
        layer(torch.randn(1, 5, 48, dtype=torch.float64), cache)


def test_triton_layer_matches_torch():
    pytest.importorskip("triton")
    layer = make_layer(4).float()
    x = torch.randn(2, 11, 48)
    if torch.cuda.is_available():
        layer, x = layer.cuda(), x.cuda()
    with torch.no_grad():
        want = layer(x)
        layer.backend = "triton"
        got = layer(x)
    torch.testing.assert_close(got, want, rtol=1e-4, atol=1e-4)


def test_indexer_rope_is_non_interleaved_on_first_dims_then_hadamard():
    torch.manual_seed(5)
    cfg = dsa.DSAConfig(**TINY)
    ind = dsa.Indexer(cfg).double()
    x, qr = torch.randn(1, 3, 48, dtype=torch.float64), torch.randn(1, 3, 24, dtype=torch.float64)
    inv = rope_inv_freq(cfg.qk_rope_head_dim, cfg.rope_theta)
    cos, sin = rope_cos_sin(torch.arange(3), inv)
    q, k, w = ind(x, qr, cos, sin)
    n, r = cfg.index_head_dim, cfg.qk_rope_head_dim
    hm = torch.ones(1, 1, dtype=torch.float64)
    while hm.shape[0] < n:
        hm = torch.cat([torch.cat([hm, hm], 1), torch.cat([hm, -hm], 1)], 0)
    k_raw = ind.k_norm(ind.wk(x))[0]
    for t in range(3):
        v = k_raw[t].clone()
        for i in range(r // 2):  # rotate the pair (i, i + r/2) by position t · inv_freq[i]
            a = t * inv[i].item()
            v[i], v[i + r // 2] = (
                k_raw[t, i] * math.cos(a) - k_raw[t, i + r // 2] * math.sin(a),
                k_raw[t, i] * math.sin(a) + k_raw[t, i + r // 2] * math.cos(a),
            )
        torch.testing.assert_close(k[0, t], v @ hm / math.sqrt(n))
    torch.testing.assert_close(w, ind.weights_proj(x) / math.sqrt(cfg.index_n_heads * n))
    assert q.shape == (1, 3, cfg.index_n_heads, n)
