"""Channel-agnostic conversation logic: incoming messages to replies."""
