"""ai-blame for Python installs: the package only locates and starts the real ai-blame program.

Platform wheels ship a Node single-executable build as the `ai-blame` script; the pure `any` wheel ships the
JavaScript bundle and runs it on a Node.js >= 20 it finds. `python -m ai_blame` works with both.
"""

from ai_blame._launch import find_ai_blame_bin, main

__all__ = ["find_ai_blame_bin", "main"]
