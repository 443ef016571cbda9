"""The review store's revisions, oldest first (``v0001_initial``, ``v0002_queue_indexes``,
``v0003_assignment_undo``)."""
