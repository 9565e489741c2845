"""The central server."""
