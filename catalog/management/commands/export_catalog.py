"""Write the whole catalog as JSON (the shape of tests/golden/*.json)."""

import json

from django.core.management.base import BaseCommand

from catalog.exporters import export_catalog


class Command(BaseCommand):
    help = (
        "Export the whole catalog (topics, papers, repositories, translations, links)."
    )

    def add_arguments(self, parser):
        parser.add_argument(
            "--format", choices=["json"], default="json", help="Output format."
        )
        parser.add_argument("--indent", type=int, default=1, help="JSON indentation.")

    def handle(self, *args, **options):
        data = export_catalog(using=options.get("database", "default") or "default")
        self.stdout.write(
            json.dumps(data, ensure_ascii=False, indent=options["indent"])
        )
