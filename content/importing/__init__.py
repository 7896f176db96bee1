from .services import ImportFailed, ImportReport, content_import_file

__all__ = ["ImportFailed", "ImportReport", "content_import_file"]
