"""tasklog: log time against tasks from the command line."""

__version__ = "0.1.0"
