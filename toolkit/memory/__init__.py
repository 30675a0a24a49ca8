"""The workbook's memory: whole copies of a workbook being saved (``wholecopy``), the daily backups, what
changed between two copies (``changes``), the ledger of issued reports and the night's history.
"""
