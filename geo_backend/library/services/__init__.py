"""Writes of the library. Each public function is one transaction: all or nothing, files included."""
