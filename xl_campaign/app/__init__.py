"""Use cases: check, update, rollup, report, review — each built on one load step (``app.load``)."""
