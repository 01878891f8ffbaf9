"""`python -m ai_blame ...`: the same command as `ai-blame ...`, for every install scheme (venv, --user, --prefix,
--target, uv tool). It hands the process over to the real program and never returns on POSIX."""

from ai_blame._launch import main

if __name__ == "__main__":
    main()
