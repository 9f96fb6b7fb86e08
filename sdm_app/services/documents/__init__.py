"""Documents the app hands over: the consultation summary and the family letter.

Each is built once, Qt-free, as a ``model.Document`` (what is said, in which
language and direction, in what structure); ``html`` renders it for the screen
and ``pdf`` for paper. Nothing about content is decided in a renderer.
"""
