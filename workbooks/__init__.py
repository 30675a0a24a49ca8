"""The example tracking workbook (installed as ``toolkit.workbooks``) and the script that generates it."""
