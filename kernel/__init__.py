"""The pure kernel: what every app shares and no app owns.

Pure Python: nothing here imports Django or any app of the project, so every app (and the
configuration package) may import it. Each module says what it holds by its name.
"""
