"""What every issued ``.xlsm`` runs: ``import toolkit.button;toolkit.button.main()`` (the button lives in
``toolkit.excel.button``; this name stays importable for the workbooks already in the offices)."""

from toolkit.excel.button import main as main
