"""CLI commands; each module defines ``register(app)`` and imports heavy libraries inside its functions."""
