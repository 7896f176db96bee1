from django.core.management.base import BaseCommand, CommandError
from django.db import transaction

from feeds.screens.models import Orientation, PlaceType
from feeds.screens.services import ScreenInputError, screen_create


def _resolution(value: str):
    try:
        width, height = (int(part) for part in value.lower().replace("×", "x").split("x"))
    except ValueError:
        raise CommandError(f"分辨率格式应为 宽x高，例如 1920x1080，而不是“{value}”") from None
    return width, height


class Command(BaseCommand):
    help = "Create a screen (科普大屏) and print its id and one-time token (`id: …` / `token: …`)."

    def add_arguments(self, parser):
        parser.add_argument("--name", required=True, help="屏幕名称")
        parser.add_argument("--district", required=True, help="区域标识或名称，例如 echeng 或 鄂城区")
        parser.add_argument("--audiences", default="", help="受众标识，逗号分隔，例如 elderly,farmers")
        parser.add_argument("--group", default="", help="屏幕分组名称（不存在时创建）")
        parser.add_argument("--place-type", default="community", choices=PlaceType.values)
        parser.add_argument("--orientation", default="landscape", choices=Orientation.values)
        parser.add_argument("--resolution", default="1920x1080", help="宽x高，例如 1080x1920")
        parser.add_argument("--location", default="", help="具体位置")
        parser.add_argument("--dry-run", action="store_true", help="只检查参数，不创建屏幕")

    def handle(self, *args, **options):
        width, height = _resolution(options["resolution"])
        try:
            with transaction.atomic():
                created = screen_create(
                    name=options["name"],
                    district=options["district"],
                    audiences=options["audiences"].split(","),
                    group=options["group"],
                    place_type=options["place_type"],
                    orientation=options["orientation"],
                    width=width,
                    height=height,
                    location=options["location"],
                )
                if options["dry_run"]:
                    transaction.set_rollback(True)
        except ScreenInputError as exc:
            raise CommandError(str(exc)) from exc
        except Exception as exc:  # model validation: show the field messages, not a traceback
            messages = getattr(exc, "message_dict", None)
            if messages:
                raise CommandError("；".join(f"{k}: {'，'.join(v)}" for k, v in messages.items())) from exc
            raise
        if options["dry_run"]:
            self.stdout.write(
                f"检查通过（--dry-run，未创建）：{created.screen.name} · {created.screen.district.name}"
            )
            return
        self.stdout.write(f"id: {created.screen.pk}")
        self.stdout.write(f"token: {created.token}")
