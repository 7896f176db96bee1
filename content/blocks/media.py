"""Media blocks: images with captions and allow-listed video embeds."""

from urllib.parse import urlparse

from django.conf import settings
from django.core.exceptions import ValidationError
from wagtail import blocks
from wagtail.blocks.struct_block import StructBlockValidationError
from wagtail.documents.blocks import DocumentChooserBlock
from wagtail.images import get_image_model
from wagtail.images.blocks import ImageChooserBlock


def video_url_is_allowed(url: str) -> bool:
    """Only https (or http) URLs on the configured hosts may be embedded."""
    parsed = urlparse(url or "")
    return parsed.scheme in {"http", "https"} and (parsed.hostname or "").lower() in {
        h.lower() for h in settings.VIDEO_EMBED_ALLOWED_HOSTS
    }


class CaptionedImageBlock(blocks.StructBlock):
    image = ImageChooserBlock(label="图片")
    caption = blocks.CharBlock(label="图注", required=False, max_length=200)
    attribution = blocks.CharBlock(label="图片来源", required=False, max_length=100)

    def get_preview_value(self):
        """The block picker's sample shows the newest image in the library (a fresh site has none:
        the preview then shows only the caption)."""
        return self.normalize(
            {
                "image": get_image_model().objects.order_by("-created_at").first(),
                "caption": "鄂州长江大桥：图注显示在图片下方",
                "attribution": "鄂州市科协",
            }
        )

    class Meta:
        icon = "image"
        label = "图片"
        template = "components/streamfield/blocks/captioned_image_block.html"
        description = "带图注的图片，图注会显示在图片下方"


class VideoEmbedBlock(blocks.StructBlock):
    url = blocks.URLBlock(
        label="视频地址",
        required=False,
        help_text="允许的视频平台或本站媒体服务器上的地址",
    )
    file = DocumentChooserBlock(label="或上传的视频文件", required=False)
    caption = blocks.CharBlock(label="说明", required=False, max_length=200)

    def clean(self, value):
        value = super().clean(value)
        url, file = value.get("url"), value.get("file")
        if not url and not file:
            raise StructBlockValidationError(
                block_errors={"url": ValidationError("请填写视频地址或选择视频文件")}
            )
        if url and not video_url_is_allowed(url):
            raise StructBlockValidationError(
                block_errors={"url": ValidationError("该视频网站不在允许列表中，请联系管理员添加")}
            )
        return value

    class Meta:
        icon = "media"
        label = "视频"
        template = "components/streamfield/blocks/video_embed_block.html"
        description = "嵌入允许列表内平台的视频或上传的视频文件"
        preview_value = {
            "url": "https://media.kepu-ezhou.cn/videos/rainstorm.mp4",
            "file": None,
            "caption": "暴雨来了怎么办（示例视频）",
        }
