from __future__ import annotations

from django.urls import path

from operations import views
from targets.views.monitoring import monitoring_list, monitoring_moved

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
    # 目标监控 is the targets' page, kept at its address: the list of forms to monitor, and
    # a form's old monitoring address, a permanent redirect to its 运行监控.
    path("monitoring/", monitoring_list, name="monitoring_index"),
    path("monitoring/<slug:code>/", monitoring_moved, name="monitoring"),
    path("<slug:code>/<int64:year>/", views.year_detail, name="year"),
    path("<slug:code>/<int64:year>/workbook.xlsx", views.workbook, name="workbook"),
]
