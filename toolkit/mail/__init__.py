"""The nightly emails: who hears what (``notices``), what they say (``compose``, ``annotate``), how they are
written (``draft``), their MIME form (``mime``), and the outbox and SMTP (``outbox``).
"""
