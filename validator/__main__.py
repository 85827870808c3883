"""Allows `python -m validator`, the same as the `formcheck` command."""

import sys

from validator.cli import main

if __name__ == "__main__":
    sys.exit(main())
