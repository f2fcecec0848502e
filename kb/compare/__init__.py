"""Comparison: what instruments say, side by side and over time.

``topics`` (19 topics) → ``cells`` (topic × instrument cells, counterparts); ``obligations``
(sentence-level deontic force) → ``matrix`` (principal force, the obligation matrix, element by
element); ``facts`` (numbers with their provision); ``versions`` (versions in time, as at) and
``diff`` (version comparison); ``procedure`` (proposal → adopted trail); ``applies`` ("does it
apply to us?"). The ``*_eval`` modules score each against the team's gold files in ``gold/``.
"""
