"""Production settings pass Django's deployment checks, by configuration."""

import os
import secrets
import subprocess
import sys


def test_check_deploy_is_clean_with_production_settings(tmp_path):
    env = {
        **os.environ,
        "GONGDAN_VAR_DIR": str(tmp_path),
        "GONGDAN_SECRET_KEY": secrets.token_urlsafe(60),
        "GONGDAN_DEBUG": "0",
        "GONGDAN_HTTPS": "1",
        "GONGDAN_ALLOWED_HOSTS": "gongdan.example.internal",
        "DJANGO_SETTINGS_MODULE": "gongdan.settings",
    }
    env.pop("DATABASE_URL", None)
    # The browser tests allow sync database calls beside their event loop.
    env.pop("DJANGO_ALLOW_ASYNC_UNSAFE", None)

    run = subprocess.run(
        [
            sys.executable,
            "-m",
            "gongdan.cli",
            "check",
            "--deploy",
            "--fail-level",
            "WARNING",
        ],
        env=env,
        capture_output=True,
        text=True,
        timeout=120,
    )

    assert run.returncode == 0, run.stdout + run.stderr
    assert "no issues" in run.stdout
