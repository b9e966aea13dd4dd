"""Environment synthesis by a model: a category becomes a validated template folder in envs/."""
