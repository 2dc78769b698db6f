#!/usr/bin/env python
"""Django's command-line utility; the installed console script `ftzsafety` is the same."""

from ftzsafety.cli import main

if __name__ == "__main__":
    main()
