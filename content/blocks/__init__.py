"""The one StreamField body shared by every content type."""

from wagtail import blocks

from .media import CaptionedImageBlock, VideoEmbedBlock, video_url_is_allowed
from .science import DataTableBlock, RelatedLinksBlock
from .text import RICH_TEXT_FEATURES, CalloutBlock, HeadingBlock, KeyPointsBlock, SanitizedRichTextBlock

__all__ = [
    "BodyStreamBlock",
    "CalloutBlock",
    "CaptionedImageBlock",
    "DataTableBlock",
    "HeadingBlock",
    "KeyPointsBlock",
    "RelatedLinksBlock",
    "SanitizedRichTextBlock",
    "VideoEmbedBlock",
    "video_url_is_allowed",
]


class BodyStreamBlock(blocks.StreamBlock):
    paragraph = SanitizedRichTextBlock(
        label="正文段落",
        features=RICH_TEXT_FEATURES,
        icon="pilcrow",
        template="components/streamfield/blocks/paragraph_block.html",
    )
    heading = HeadingBlock()
    image = CaptionedImageBlock()
    callout = CalloutBlock()
    key_points = KeyPointsBlock()
    video = VideoEmbedBlock()
    related_links = RelatedLinksBlock()
    table = DataTableBlock()

    class Meta:
        block_counts = {}
