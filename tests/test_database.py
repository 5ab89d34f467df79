"""The suite runs on the database CI asked for, not silently on another."""

import os

from django.db import connection


def test_runs_on_the_expected_database(db):
    expected = os.environ.get("GONGDAN_EXPECT_DB")
    url = os.environ.get("DATABASE_URL", "")

    if expected:
        assert connection.vendor == expected
    elif url.startswith("postgres"):
        assert connection.vendor == "postgresql"
    else:
        assert connection.vendor == "sqlite"
