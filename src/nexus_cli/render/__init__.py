"""Renderers: journal data in, Rich objects out. They never print."""
