import os

# Triton kernels run on CPU tensors in Triton's interpreter; the variable must be set
# before triton is first imported.
try:
    import torch
except ImportError:  # the dsa extra is not installed; the test modules skip themselves
    torch = None

if torch is not None and not torch.cuda.is_available():
    os.environ.setdefault("TRITON_INTERPRET", "1")
