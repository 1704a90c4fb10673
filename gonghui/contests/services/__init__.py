"""Writes of contests, by topic: ``setup`` (contest, rounds, items), ``entries`` (enterprises and
workers entering through their union), ``judging`` (judges, scores, locked sheets), ``awards``
(results, awards, certificates, titles into the model-worker register)."""
