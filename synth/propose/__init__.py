"""Task proposal by a model: DeepSeek's general-agent workflow (propose, repair, harden, add tools)."""
