"""Reading and building workbook files: opening a file (``source``), the markup scan (``markup``), rows, columns
and cells (``rows``, ``columns``, ``cells``), the live Excel book (``live``), the reader (``reader``) and the
builder (``builder``, with ``excel_forms``). The only stage that knows sheets and cells.
"""
