"""Pure domain code: no I/O, no clock reads, no framework imports."""
