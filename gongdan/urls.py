from django.contrib import admin
from django.urls import include, path

urlpatterns = [
    path("admin/", admin.site.urls),
    path("api/", include("gongdan.api.urls")),
    path("", include("gongdan.web.urls")),
]
