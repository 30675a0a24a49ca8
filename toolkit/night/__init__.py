"""The nightly job: one run (``run``), the capped child process that reads the workbook (``child``) and its
work (``work``), and the lock that keeps runs one at a time (``lock``).
"""
