"""The Word documents: the report's content by section (``compose``), the state format's words (``wording``),
filling the templates (``render``, ``prepared``, ``short_lines``), writing the report and the plan
(``write``), the chart and PDF.
"""
