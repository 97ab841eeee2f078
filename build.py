#!/usr/bin/env python3
"""otokui's command line: ``python build.py build|check|serve|schema|validate|rules``."""

from otokui.cli import main

if __name__ == "__main__":
    main()
