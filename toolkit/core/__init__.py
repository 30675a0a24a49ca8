"""The contract and the vocabulary every stage shares: the workbook's declaration (``schema``), the domain
model, periods, issues, how values are written (``words``) and the rules about single values (``valuerules``),
plus atomic output files, the library's exceptions, shipped resources and machine settings. Imports nothing
above it.
"""
