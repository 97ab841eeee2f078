"""otokui: one shop policy to customer-first member pages and emails."""

__version__ = "0.1.0"
