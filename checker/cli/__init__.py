"""The ``crossclaim`` command: ``main`` holds the typer app and ``report``; ``options`` the
options and input handling several commands share; ``nli``, ``gate``, ``review`` and
``eval_rules`` each register one group of commands. Heavy imports happen inside commands."""
