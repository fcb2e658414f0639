from __future__ import annotations

from django.urls import path

from records import views

app_name = "records"
urlpatterns = [
    path("", views.index, name="index"),
    path("mapping/<slug:kind>/", views.mapping, name="mapping"),
    path("template/<slug:kind>.csv", views.template, name="template"),
    path("<slug:code>/<int64:year>/", views.year, name="year"),
    path("<slug:code>/<int64:year>/verification.xlsx", views.workbook, name="workbook"),
]
