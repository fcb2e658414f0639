from __future__ import annotations

from django.urls import path, register_converter

from disclosure import views

app_name = "disclosure"


class FileFormat:
    regex = "pdf|xlsx"

    def to_python(self, value: str) -> str:
        return value

    def to_url(self, value: str) -> str:
        return value


register_converter(FileFormat, "disclosure_format")

urlpatterns = [
    path("", views.publication_list, name="list"),
    # public, no login: the index, its listings and the published files
    path("public/", views.public_index, name="public_index"),
    path("public/index.json", views.public_json, name="public_json"),
    path("public/index.csv", views.public_csv, name="public_csv"),
    path(
        "public/<uuid:publication_id>.<disclosure_format:format>",
        views.public_file,
        name="public_file",
    ),
    path(
        "publications/<uuid:publication_id>/",
        views.publication_detail,
        name="publication",
    ),
    path("<slug:kind>/<slug:code>/", views.review, name="review"),
    path("<slug:kind>/<slug:code>/preview/", views.preview, name="preview"),
]
