"""Publications: the recorded act of making a document's 公开版 public.

A ``Publication`` says who published which document (kind and code), in which version (the
fingerprint of the internal document the reviewer's list was made from), when, under which
organisation and year, and keeps the 公开版 files it published. Its ``RedactionItem`` rows
are the reviewer's list as published: each item found (by contact field or by pattern) or
added by the reviewer, and whether it was removed or kept. The items hold the personal data
itself, so they are shown only to who may see the internal document, never publicly.
"""

from __future__ import annotations

import uuid

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from disclosure.patterns import Category

CATEGORY_LABELS = {
    Category.NAME: _("Person's name"),
    Category.MOBILE: _("Mobile number"),
    Category.LANDLINE: _("Telephone number"),
    Category.ID_NUMBER: _("ID number"),
    Category.EMAIL: _("E-mail address"),
}


class Publication(models.Model):
    id = models.UUIDField(primary_key=True, default=uuid.uuid4, editable=False)
    kind = models.CharField(_("document kind"), max_length=30)
    object_code = models.SlugField(_("object code"), max_length=64)
    number = models.PositiveIntegerField(
        _("publication number"),
        help_text=_("1 for the document's first publication, 2 for the next, …"),
    )
    title = models.CharField(_("title"), max_length=300)
    organisation = models.ForeignKey(
        "budgets.Organisation",
        verbose_name=_("organisation"),
        on_delete=models.PROTECT,
        related_name="publications",
    )
    year = models.PositiveSmallIntegerField(_("year"), null=True, blank=True)
    source_fingerprint = models.CharField(
        _("document version"),
        max_length=64,
        help_text=_(
            "Fingerprint of the internal document the redaction list was reviewed on."
        ),
    )
    pdf = models.FileField(_("public PDF"), upload_to="disclosure/", max_length=255)
    pdf_sha256 = models.CharField(_("SHA-256 of the public PDF"), max_length=64)
    xlsx = models.FileField(
        _("public workbook"), upload_to="disclosure/", max_length=255, blank=True
    )
    published_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("published by"),
        on_delete=models.PROTECT,
        related_name="+",
    )
    published_at = models.DateTimeField(_("published at"), default=timezone.now)

    class Meta:
        verbose_name = _("publication")
        verbose_name_plural = _("publications")
        ordering = ["-published_at"]
        constraints = [
            models.UniqueConstraint(
                fields=["kind", "object_code", "number"],
                name="publication_number_unique_per_document",
            ),
            models.CheckConstraint(
                condition=Q(number__gte=1), name="publication_number_positive"
            ),
        ]
        indexes = [
            models.Index(fields=["year", "organisation"], name="publication_index_idx")
        ]

    def __str__(self) -> str:
        return f"{self.title} ({self.number})"


class RedactionItem(models.Model):
    class Origin(models.TextChoices):
        FIELD = "field", _("Contact field")
        PATTERN = "pattern", _("Found in the text")
        REVIEWER = "reviewer", _("Added by the reviewer")

    class Decision(models.TextChoices):
        REMOVED = "removed", _("Removed")
        KEPT = "kept", _("Kept")

    publication = models.ForeignKey(
        Publication,
        verbose_name=_("publication"),
        on_delete=models.CASCADE,
        related_name="items",
    )
    position = models.PositiveSmallIntegerField(_("position"))
    category = models.CharField(
        _("kind of data"),
        max_length=12,
        choices=[(c.value, label) for c, label in CATEGORY_LABELS.items()],
        blank=True,
    )
    text = models.CharField(_("text"), max_length=200)
    origin = models.CharField(_("found"), max_length=10, choices=Origin.choices)
    field_label = models.CharField(_("field"), max_length=100, blank=True)
    decision = models.CharField(_("decision"), max_length=10, choices=Decision.choices)
    occurrences = models.PositiveIntegerField(_("occurrences"))

    class Meta:
        verbose_name = _("redaction item")
        verbose_name_plural = _("redaction items")
        ordering = ["publication", "position"]
        constraints = [
            models.UniqueConstraint(
                fields=["publication", "position"], name="redaction_item_position"
            ),
            models.CheckConstraint(
                condition=Q(decision__in=["removed", "kept"]),
                name="redaction_item_valid_decision",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.get_origin_display()}: {self.get_decision_display()}"
