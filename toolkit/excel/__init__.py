"""The Excel side: the macro-enabled workbook (``xlsm``), where the button writes (``layout``), the button
itself (``button``) and ``cchc doctor`` (``doctor``).
"""
