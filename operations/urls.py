from __future__ import annotations

from django.urls import path

from operations import views

app_name = "operations"
urlpatterns = [
    path("", views.index, name="index"),
    path("upload/", views.upload, name="upload"),
    path("template/", views.template_download, name="template"),
    path("uploads/<int64:pk>/", views.upload_detail, name="upload_detail"),
    path("uploads/<int64:pk>/confirm/", views.upload_confirm, name="upload_confirm"),
    path("uploads/<int64:pk>/discard/", views.upload_discard, name="upload_discard"),
    path("uploads/<int64:pk>/file/", views.upload_file, name="upload_file"),
    path("metrics/", views.metric_list, name="metrics"),
    path("monitoring/", views.monitoring_index, name="monitoring_index"),
    path("monitoring/<slug:code>/", views.monitoring, name="monitoring"),
    path("<slug:code>/<int64:year>/", views.year_detail, name="year"),
    path("<slug:code>/<int64:year>/workbook.xlsx", views.workbook, name="workbook"),
]
