"""The hall's rules in plain Python: no Flask, no SQL."""
