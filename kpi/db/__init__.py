"""Database plumbing: advisory locks, table swaps and the date SQL that differs between vendors."""
