"""Build helpers for the ai-blame wheels: a standard-library wheel writer and the Node SEA builder.
Nothing here is shipped; python-dist/build.py is the only caller."""
