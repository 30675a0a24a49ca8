"""CCHC plan tracking: the tracking workbook, its validation, completion, Word reports and reminders.

Importing ``toolkit`` is cheap on purpose (the Excel button starts Python on every click); each stage lives in
its own module and pulls in its heavy libraries only when used.
"""

__version__ = "0.1.0"
