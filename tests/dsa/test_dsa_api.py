import pytest

torch = pytest.importorskip("torch")

import synth.dsa as dsa  # noqa: E402


def test_unknown_backend():
    with pytest.raises(ValueError, match="unknown backend"):
        dsa.topk_indices(torch.zeros(1, 1, 3), 2, backend="cuda")


def test_shape_errors():
    q, k, w = torch.randn(1, 2, 3, 8), torch.randn(1, 5, 8), torch.randn(1, 2, 3)
    with pytest.raises(ValueError, match="k .* does not match"):
        dsa.indexer_logits(q, torch.randn(1, 5, 7), w)
    with pytest.raises(ValueError, match="w"):
        dsa.indexer_logits(q, k, torch.randn(1, 2, 4))
    with pytest.raises(ValueError, match="expected"):
        dsa.indexer_logits(q[0], k, w)
    kv, idx = torch.randn(1, 5, 8), torch.zeros(1, 2, 4, dtype=torch.int32)
    with pytest.raises(ValueError, match="d_v"):
        dsa.sparse_attention(q, kv, idx, 1.0, 9)
    with pytest.raises(ValueError, match="integer"):
        dsa.sparse_attention(q, kv, idx.float(), 1.0, 4)
    with pytest.raises(ValueError, match="indices"):
        dsa.sparse_attention(q, kv, torch.zeros(1, 3, 4, dtype=torch.int32), 1.0, 4)
    with pytest.raises(ValueError, match="multiple of block"):
        dsa.indexer_logits(q, k, w, fp8=True)


def test_triton_backend_is_forward_only():
    pytest.importorskip("triton")
    q = torch.randn(1, 2, 3, 8, requires_grad=True)
    with pytest.raises(RuntimeError, match="forward-only"):
        dsa.indexer_logits(q, torch.randn(1, 5, 8), torch.randn(1, 2, 3), backend="triton")


def test_import_synth_does_not_import_torch():
    import subprocess
    import sys

    code = "import sys, synth; assert 'torch' not in sys.modules and 'triton' not in sys.modules"
    subprocess.run([sys.executable, "-c", code], check=True)
