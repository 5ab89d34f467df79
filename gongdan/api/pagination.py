from rest_framework.pagination import LimitOffsetPagination

MAX_OFFSET = 10**9


class Pages(LimitOffsetPagination):
    """Pages of at most 500 orders; a larger ``limit`` asks for 500, and an
    offset past any real list is cut to one the database can take."""

    max_limit = 500

    def get_offset(self, request):  # type: ignore[no-untyped-def]
        return min(super().get_offset(request), MAX_OFFSET)
