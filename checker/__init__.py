"""The checking side of crossclaim, one room per job.

Top level: the pipeline (``pipeline``), pair comparison into findings (``compare``, ``findings``),
the report record (``report``), the content-keyed cache (``cache``), settings (``settings``) and
atomic writes (``atomic``). Sub-packages, each importing only downwards
(``docs/architecture.md`` draws the layers; ``tests/test_layers.py`` enforces them):

* ``nli/``: NLI model backends, their self-check on load, the text the model sees, CPU facts;
* ``render/``: terminal, Markdown and HTML renderings of a report (with their templates);
* ``gate/``: the CI gate's decision, the baseline, JUnit / SARIF / annotations / summary;
* ``workspace/``: the review store, ingest, event grouping, exports and the review web app;
* ``cli/``: the ``crossclaim`` command, one module per group of commands.
"""
