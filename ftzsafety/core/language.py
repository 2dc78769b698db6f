"""Which of a record's two names to show: Chinese first, English where the reader chose English and one exists."""

from django.utils.translation import get_language


def localised(zh: str, en: str, language: str | None = None) -> str:
    lang = language or get_language() or ""
    return en if lang.startswith("en") and en else zh
