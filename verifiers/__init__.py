"""Reusable verifier building blocks. Verifier programs import these inside the sandbox."""
