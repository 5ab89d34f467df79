import os
import sys

from django.core.management import call_command
from django.core.management.base import BaseCommand


class Command(BaseCommand):
    help = "用 gunicorn 在 127.0.0.1:8000 提供网页和接口服务。"

    def add_arguments(self, parser):  # type: ignore[no-untyped-def]
        parser.add_argument("--bind", default="127.0.0.1:8000")
        parser.add_argument("--workers", type=int, default=2)

    def handle(self, *args, **options):  # type: ignore[no-untyped-def]
        call_command("migrate", interactive=False, verbosity=0)
        self.stdout.write(f"gongdan 服务地址：http://{options['bind']}/", ending="\n")
        self.stdout.flush()
        argv = [
            sys.executable,
            "-m",
            "gunicorn",
            "gongdan.wsgi:application",
            "--bind",
            options["bind"],
            "--workers",
            str(options["workers"]),
            "--access-logfile",
            "-",
            # No control socket under the user's home: the app keeps to var/.
            "--no-control-socket",
        ]
        os.execv(sys.executable, argv)
