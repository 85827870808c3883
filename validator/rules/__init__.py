"""The rules: a pack loaded and compiled, its expressions, the named checks, and the engine that
runs them over returns into findings."""
