"""``content_import_file``: the one bulk path into the content tree (DESIGN.md §2).

All-or-nothing per file: every line is validated first and any bad line aborts the import
with ``file:line: reason`` for each problem; the writes then run in one transaction. A line that
fails while being written (whatever the exception) is reported as ``file:line: reason`` too, the
whole transaction is rolled back and every image file this import stored is deleted again, so a
failed import leaves neither rows nor files behind.
Idempotent by slug: a line whose fingerprint (its JSON plus its image bytes) matches the page's
``import_fingerprint`` is left untouched, so re-importing a file changes nothing.
"""

import logging
from dataclasses import dataclass, field
from pathlib import Path

from django.core.files import File
from django.core.files.images import ImageFile
from django.db import transaction
from django.utils import timezone
from wagtail.documents import get_document_model
from wagtail.images import get_image_model
from wagtail.models import Page
from wagtail.utils.file import hash_filelike

from content.models import Audience, Region
from content.types import CONTENT_TYPES, EMERGENCY, VIDEO, content_type_of
from editorial.services import check_record, page_check

from .history import page_imported_log
from .html_body import body_stream_data
from .validation import ImportItem, LineErrors, Vocabulary, item_validate
from .word_check import blocked_reasons, item_check, notices

logger = logging.getLogger(__name__)


class ImportFailed(Exception):
    """The file was rejected; ``errors`` holds one ``file:line: reason`` string per problem."""

    def __init__(self, errors):
        super().__init__(f"{len(errors)} 处错误，未导入任何内容")
        self.errors = errors


@dataclass
class ImportReport:
    created: list = field(default_factory=list)
    updated: list = field(default_factory=list)
    unchanged: list = field(default_factory=list)
    submitted: list = field(default_factory=list)  # slugs sent to their review workflow (--submit)
    notices: list = field(default_factory=list)  # ``file:line: …`` 警告 and 纠错 hits, imported anyway
    dry_run: bool = False

    @property
    def total(self):
        return len(self.created) + len(self.updated) + len(self.unchanged)


def content_import_file(
    path, *, dry_run: bool = False, label: str | None = None, submit: bool = False, user=None
) -> ImportReport:
    """Import a JSONL file of content items; see the module docstring for the guarantees.

    ``submit`` saves each new or changed page as a draft and starts its review workflow (三审, or
    应急快速发布 for warnings) instead of publishing it. ``user`` is recorded as who imported: on
    each revision, the publish or submission, and a new page's owner."""
    path = Path(path)
    label = label or str(path)
    items, errors, word_notices = _validate_all(_file_text(path, label), path.parent, label)
    if errors:
        raise ImportFailed(errors)
    if not items:
        raise ImportFailed([f"{label}: 文件中没有任何内容"])

    report = ImportReport(dry_run=dry_run, notices=word_notices)
    existing = _existing_pages([item.slug for item in items])
    if dry_run:
        for item in items:
            page = existing.get(item.slug)
            bucket = (
                report.created
                if page is None
                else (report.unchanged if page.import_fingerprint == item.fingerprint else report.updated)
            )
            bucket.append(item.slug)
        return report

    sections = {content_type.key: _section(content_type) for content_type in CONTENT_TYPES}
    stored_files: list = []  # (storage, name) of every image file this import wrote
    try:
        with transaction.atomic():
            for item in items:
                page = existing.get(item.slug)
                if page is not None and page.import_fingerprint == item.fingerprint:
                    report.unchanged.append(item.slug)
                    continue
                try:
                    written = _write(item, page, sections[item.type], stored_files, submit=submit, user=user)
                    page_imported_log(written, label, item.line, user)
                except Exception as exc:
                    logger.exception("import %s:%s failed while writing %s", label, item.line, item.slug)
                    raise ImportFailed([f"{label}:{item.line}: {_write_reason(exc)}"]) from exc
                (report.created if page is None else report.updated).append(item.slug)
                if submit:
                    report.submitted.append(item.slug)
                logger.info(
                    "import %s:%s %s %s",
                    label,
                    item.line,
                    "created" if page is None else "updated",
                    item.slug,
                )
    except BaseException:
        _files_delete(stored_files)
        raise
    return report


def _file_text(path: Path, label: str) -> str:
    try:
        return path.read_text(encoding="utf-8-sig")
    except FileNotFoundError:
        raise ImportFailed([f"{label}: 文件不存在"]) from None
    except UnicodeDecodeError as exc:
        raise ImportFailed([f"{label}: 文件不是 UTF-8 编码（第 {exc.start} 字节）"]) from None
    except OSError as exc:
        raise ImportFailed([f"{label}: 无法读取文件（{exc.strerror}）"]) from None


def _write_reason(exc: Exception) -> str:
    detail = " ".join(str(exc).split())[:200] or type(exc).__name__
    return f"写入时出错（{detail}），整个文件已回滚，未导入任何内容"


def _files_delete(stored_files) -> None:
    """Remove the image files (and any renditions made of them) written by an import that failed."""
    for storage, name in stored_files:
        try:
            storage.delete(name)
        except OSError:
            logger.warning("import: could not delete %s after a failed import", name)


def _validate_all(text: str, base_dir: Path, label: str):
    vocab = Vocabulary(
        audience_slugs=set(Audience.objects.values_list("slug", flat=True)),
        region_by_name={
            key: slug for name, slug in Region.objects.values_list("name", "slug") for key in (name, slug)
        },
    )
    items: list[ImportItem] = []
    errors: list[tuple[int, str]] = []
    first_line_of: dict[str, int] = {}
    word_notices: list[str] = []
    for line_no, raw in enumerate(text.splitlines(), start=1):
        if not raw.strip():
            continue
        try:
            item = item_validate(raw, line_no, base_dir, vocab)
        except LineErrors as exc:
            errors.extend((line_no, reason) for reason in exc.reasons)
            continue
        checked = item_check(item)
        word_notices.extend(f"{label}:{line_no}: {notice}" for notice in notices(checked))
        if checked.blocked:
            errors.extend((line_no, reason) for reason in blocked_reasons(checked))
            continue
        if item.slug in first_line_of:
            errors.append((line_no, f"slug “{item.slug}” 与第 {first_line_of[item.slug]} 行重复"))
            continue
        first_line_of[item.slug] = line_no
        items.append(item)

    errors.extend((item.line, reason) for item, reason in _slug_clashes(items))
    errors.sort(key=lambda error: error[0])  # stable: a line's reasons keep their order
    return items, [f"{label}:{line_no}: {reason}" for line_no, reason in errors], word_notices


def _slug_clashes(items: list[ImportItem]):
    """A slug already used by content of another type (slugs are unique across content)."""
    wanted = {item.slug: item for item in items}
    for content_type in CONTENT_TYPES:
        for slug in content_type.model.objects.filter(slug__in=wanted).values_list("slug", flat=True):
            item = wanted[slug]
            if item.type != content_type.key:
                yield item, f"slug “{slug}” 已被一篇{content_type.label}使用"


def _existing_pages(slugs) -> dict:
    found = {}
    for content_type in CONTENT_TYPES:
        for page in content_type.model.objects.filter(slug__in=slugs):
            found[page.slug] = page
    return found


def _section(content_type) -> Page:
    section = content_type.section.objects.order_by("path").first()
    if section is None:
        raise ImportFailed([f"站点缺少“{content_type.label}”栏目，请先创建栏目页面"])
    return section


def _write(item: ImportItem, page, section: Page, stored_files: list, *, submit: bool, user):
    model = content_type_of(item.type).model
    is_new = page is None
    if is_new:
        page = model(slug=item.slug, owner=user, live=not submit)
    for name, value in item.fields.items():
        setattr(page, name, value)
    title = item.fields["title"]
    page.cover_image = _image(item.cover_image, title, stored_files) if item.cover_image else None
    if item.type == VIDEO.key:
        page.poster_image = _image(item.poster_image, title, stored_files) if item.poster_image else None
        page.video_file = _document(item.video_file, title, stored_files) if item.video_file else None
    images = {src: _image(path, title, stored_files) for src, path in item.body_images.items()}
    page.body = body_stream_data(item.body, images)
    page.import_fingerprint = item.fingerprint
    if item.published_at:
        page.first_published_at = item.published_at
    elif is_new:
        page.first_published_at = timezone.now()
    page.audiences.set(list(Audience.objects.filter(slug__in=item.audiences)))
    page.topics.set(item.topics)
    if item.type == EMERGENCY.key:
        page.regions.set(list(Region.objects.filter(slug__in=item.regions)))
    if is_new:
        section.add_child(instance=page)
    revision = page.save_revision(user=user, log_action=True)
    if submit:
        _workflow_start(page, user)
    else:
        revision.publish(user=user)
    check_record(page, page_check(page), user=user)
    return page


def _workflow_start(page, user) -> None:
    """Send the new draft to review; a page already in review keeps its review (on the new draft)."""
    workflow = page.get_workflow()
    if workflow is None:
        raise ValueError("该栏目没有配置审核流程，不能用 --submit 导入")
    if page.current_workflow_state is None:
        workflow.start(page, user)


def _image(path: Path, title: str, stored_files: list):
    """The Wagtail image for a file, reusing an existing one with the same content; a new file's
    storage name is appended to ``stored_files`` so a failed import can remove it."""
    Image = get_image_model()
    with path.open("rb") as handle:
        file_hash = hash_filelike(handle)
        existing = Image.objects.filter(file_hash=file_hash).first()
        if existing:
            return existing
        image = Image(title=title[:255], file=ImageFile(handle, name=path.name), file_hash=file_hash)
        try:
            image.save()
        finally:
            if image.file.name:  # stored before the row: a failed row insert still leaves the file
                stored_files.append((image.file.storage, image.file.name))
    return image


def _document(path: Path, title: str, stored_files: list):
    """The Wagtail document (an uploaded video) for a file, reusing one with the same content, as
    ``_image`` does."""
    Document = get_document_model()
    with path.open("rb") as handle:
        file_hash = hash_filelike(handle)
        existing = Document.objects.filter(file_hash=file_hash).first()
        if existing:
            return existing
        handle.seek(0)
        document = Document(title=title[:255], file=File(handle, name=path.name), file_hash=file_hash)
        document.file_size = path.stat().st_size
        try:
            document.save()
        finally:
            if document.file.name:
                stored_files.append((document.file.storage, document.file.name))
    return document
