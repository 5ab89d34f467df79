from django.contrib import admin
from django.urls import include, path

admin.site.site_header = admin.site.site_title = "工单系统管理"
admin.site.index_title = "系统管理"

urlpatterns = [
    path("admin/", admin.site.urls),
    path("api/", include("gongdan.api.urls")),
    path("", include("gongdan.web.urls")),
]

handler404 = "gongdan.api.errors.not_found"
