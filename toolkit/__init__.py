"""CCHC plan tracking: the tracking workbook, its validation, completion, Word reports and reminders.

Each stage of the pipeline is a folder (``core``, ``workbook``, ``rules``, ``report``, ``planparse``, ``memory``,
``mail``, ``night``, ``excel``), importing only the stages below it; ``api`` is the one sequence every front door
runs (read -> assess -> validate). Importing ``toolkit`` is cheap on purpose (the Excel button starts Python on
every click): each module pulls in its heavy libraries only when used.
"""

__version__ = "0.1.0"
