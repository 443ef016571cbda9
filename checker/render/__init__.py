"""Renderings of a :class:`~checker.report.Report`: ``terminal`` (rich), ``markdown`` and ``html``
(one self-contained page from ``templates/``). Article text is untrusted and escaped in each."""
