"""The few exceptions the library raises: mistakes of use or configuration, with messages that say the fix.

Bad data in a workbook never raises (it becomes issues); these are for a wrong path, an existing file, a bad
setting. Their messages are Vietnamese because the front doors show them to officials as they are.
"""


class CchcError(Exception):
    """A mistake the user can fix; ``str(exc)`` is the Vietnamese message saying how."""
