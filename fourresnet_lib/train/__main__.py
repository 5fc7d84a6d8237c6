"""Entry point of ``python -m fourresnet_lib.train``."""

import sys

from fourresnet_lib.train.cli import main

if __name__ == "__main__":
    sys.exit(main())
