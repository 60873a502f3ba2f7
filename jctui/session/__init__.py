"""The session: a Textual-free layer between the engine and the front ends.

Loading (one way to build a Dataset), refresh scheduling, watching, the as-of month,
the chosen Jobcenter, revisions and the prepared look-ups that `show`/`export` and the
dashboard render.
"""
