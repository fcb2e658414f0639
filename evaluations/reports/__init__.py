"""The evaluation report as the evaluator's document: its sections (``models.ReportSection``),
the grammar of a section's text (``text``), the figures a text may place (``figures``), the
structure a new evaluation starts from (``template``) and the generated sentences offered as
suggestions (``sentences``, ``suggestions``). ``documents.evaluation_reports`` lays the
sections out as the printed report."""
