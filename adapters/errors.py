"""Errors the terminal commands report as one line."""


class UsageError(Exception):
    """Bad input from the command line or stdin; the message is one line."""
