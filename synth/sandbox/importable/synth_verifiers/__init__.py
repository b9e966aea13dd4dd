"""Inside sandboxes, `synth_verifiers` is the project's top-level verifiers/ folder (installed under that name
on the host by pyproject's package-dir)."""

import os

__path__ = [os.path.join(os.path.dirname(os.path.abspath(__file__)), *[os.pardir] * 4, "verifiers")]
