"""What the workbook means: the one assessment (``assess``), the completion rules of one item (``completion``),
who owns what (``owners``), the checks (``checks``, ``checks_rows``) and validation (``validate``), the phrases
every output writes the facts with (``phrases``) and ``cchc status``'s views (``status_view``).
"""
