from django.core.management.base import BaseCommand, CommandError
from wagtail.models import Page

from feeds.wechat.client import WeChatError
from feeds.wechat.models import WeChatPush
from feeds.wechat.services import wechat_push_request, wechat_push_run


class Command(BaseCommand):
    help = "Push a page's published revision to the WeChat official account as a draft (and publish it with --publish)."

    def add_arguments(self, parser):
        parser.add_argument("page_id", type=int)
        parser.add_argument("--publish", action="store_true", help="同时发布（群发以外的“发布”）")

    def handle(self, *args, page_id, publish, **options):
        page = Page.objects.filter(pk=page_id).first()
        if page is None:
            raise CommandError(f"页面 {page_id} 不存在")
        try:
            push, queued = wechat_push_request(page.specific, publish=publish)
        except WeChatError as exc:
            raise CommandError(str(exc)) from exc
        push.refresh_from_db()
        if queued and push.status == WeChatPush.QUEUED:  # a queued task backend: run it here
            push = wechat_push_run(push.pk)
        if not queued:
            self.stdout.write(f"该版本已推送过，未重复推送：{push.get_status_display()}")
        self.stdout.write(f"push: {push.pk}")
        self.stdout.write(f"status: {push.status}")
        if push.media_id:
            self.stdout.write(f"media_id: {push.media_id}")
        if push.article_url:
            self.stdout.write(f"url: {push.article_url}")
        if push.status == WeChatPush.FAILED:
            raise CommandError(push.error)
