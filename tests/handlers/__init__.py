"""Tests of `handlers`, the core, on in-memory fakes of the storage ports.

Each subfolder tests one capability and holds the fakes of that capability's ports
(`core/fakes.py` the unit of work that gathers them); the top level tests what crosses every
command (the permission matrix, the fuzzing of every command).
"""
