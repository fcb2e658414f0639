"""operations' messages go through gettext like the other apps': English msgids, the
Chinese from locale/zh_Hans (so a page in another language shows its own words)."""

from __future__ import annotations

import pytest
from django.core.exceptions import ValidationError
from django.utils import translation

from budgets.models import Organisation
from operations.forms import UploadForm
from operations.services import metric_create_custom

pytestmark = pytest.mark.django_db


@pytest.mark.parametrize(
    ("language", "label", "message"),
    [
        ("zh-hans", "运行数据文件", "单位“斤”无效：可选 "),
        ("en", "Operating data file", "The unit “斤” is not valid: choose one of "),
    ],
)
def test_a_label_and_a_refusal_are_in_the_active_language(
    tianjin: Organisation, language: str, label: str, message: str
) -> None:
    with translation.override(language):
        assert str(UploadForm().fields["file"].label) == label
        with pytest.raises(ValidationError) as refused:
            metric_create_custom(organisation=tianjin, name="新指标", unit="斤")
        assert refused.value.message_dict["unit"][0].startswith(message)
