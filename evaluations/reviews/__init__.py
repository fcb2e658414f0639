"""Expert reviews of an evaluation: experts (accounts.models.ExpertAssignment) read it and
comment (accounts.models.ExpertComment); the finance bureau or an administrator assigns
them. Writes in ``services``, reads in ``selectors``, the pages' forms in ``forms``; the
pages are evaluations/views/reviews.py."""
