"""Reads of the library, always through the audience's visibility (organisations.access.visible_library_q)."""
