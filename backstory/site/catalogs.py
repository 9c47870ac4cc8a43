"""The message catalogs of the site's own words (labels, headings, notices), one per language:
``locale/<language>/LC_MESSAGES/backstory.po``, read with Babel.

Why the ``.po`` files are read as they are: they are the one source of truth translators edit;
compiling them at run time (they are small) means no compiled ``.mo`` file can go stale.
English, the language the templates are written in, needs no catalog.
"""

from __future__ import annotations

import functools
import gettext
import io
from importlib import resources

from babel.messages.mofile import write_mo
from babel.messages.pofile import read_po

DOMAIN = "backstory"
SOURCE_LANGUAGE = "en"


def catalog_path(language: str) -> str:
    return f"locale/{language}/LC_MESSAGES/{DOMAIN}.po"


def has_catalog(language: str) -> bool:
    """Whether Backstory's words exist in ``language``."""
    if language == SOURCE_LANGUAGE:
        return True
    return resources.files("backstory.site").joinpath(catalog_path(language)).is_file()


@functools.cache
def translations_for(language: str) -> gettext.NullTranslations:
    """The gettext translations of Backstory's words in ``language`` (English: as written)."""
    base = language.split("-")[0].split("_")[0]
    if base == SOURCE_LANGUAGE or not has_catalog(base):
        return gettext.NullTranslations()
    with resources.files("backstory.site").joinpath(catalog_path(base)).open("rb") as stream:
        catalog = read_po(stream, locale=base, domain=DOMAIN)
    compiled = io.BytesIO()
    write_mo(compiled, catalog, use_fuzzy=False)
    compiled.seek(0)
    return gettext.GNUTranslations(compiled)
