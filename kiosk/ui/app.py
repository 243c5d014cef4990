"""Placeholder replaced by the visitor UI."""
