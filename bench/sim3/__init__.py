"""sim3: a third phone-recording simulator, written from the physics and the import
formats alone (a held-out judge for the rep counter). See README.md in this folder:
``python -m bench.sim3 --out DIR --seed S`` generates, ``python -m bench.sim3.score DIR``
scores."""
