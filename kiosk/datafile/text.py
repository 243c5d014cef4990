"""What every data file is built from: strict mappings, and texts in several languages.

A text is a mapping from language to words (``{fr: "Bonjour", en: "Hello"}``); a file says
which languages it speaks, and ``translation_gaps`` is the one check that every text of it
speaks exactly those.
"""

from __future__ import annotations

from collections.abc import Iterable, Iterator

from pydantic import BaseModel, ConfigDict, RootModel, model_validator

from kiosk.datafile.problems import Loc, Problems


class Strict(BaseModel):
    """Unknown keys are errors: a typo in a data file must not be silently ignored. No number
    is infinite or not-a-number (``.inf``, ``.nan``): no setting means that."""

    model_config = ConfigDict(extra="forbid", frozen=True, allow_inf_nan=False)


class Text(Strict):
    """A text in every language of its file; the file's model checks that each one is there."""

    model_config = ConfigDict(extra="allow", frozen=True)

    def get(self, language: str) -> str:
        return str(getattr(self, language))

    def languages(self) -> set[str]:
        return set(self.model_extra or {})

    @model_validator(mode="after")
    def _texts_are_strings(self) -> Text:
        for lang, value in (self.model_extra or {}).items():
            if not isinstance(value, str) or not value.strip():
                raise ValueError(f"the '{lang}' text must be a non-empty string")
        return self


def all_texts(node: object, loc: Loc = ()) -> Iterator[tuple[Loc, Text]]:
    """Every text in a model, with where it stands."""
    if isinstance(node, Text):
        yield loc, node
    elif isinstance(node, RootModel):
        yield from all_texts(node.root, loc)
    elif isinstance(node, BaseModel):
        for name in type(node).model_fields:
            yield from all_texts(getattr(node, name), (*loc, name))
    elif isinstance(node, dict):
        for key, child in node.items():
            yield from all_texts(child, (*loc, key))
    elif isinstance(node, list | tuple):
        for i, child in enumerate(node):
            yield from all_texts(child, (*loc, i))


def translation_gaps(
    node: object, languages: Iterable[str]
) -> Iterator[tuple[Loc, list[str], list[str]]]:
    """Each text of ``node`` that does not speak exactly ``languages``: where it stands, the
    languages it lacks and those it has beyond them."""
    wanted = set(languages)
    for loc, text in all_texts(node):
        missing, extra = wanted - text.languages(), text.languages() - wanted
        if missing or extra:
            yield loc, sorted(missing), sorted(extra)


def check_translations(
    node: object, languages: Iterable[str], problems: Problems, unlisted: bool = False
) -> None:
    """Report each text of ``node`` lacking one of ``languages``; with ``unlisted``, also each
    text in a language the file does not list (most likely a typo in the language code)."""
    for loc, missing, extra in translation_gaps(node, languages):
        if missing:
            problems.add(loc, f"missing translation(s): {', '.join(missing)}")
        if extra and unlisted:
            problems.add(loc, f"language(s) {', '.join(extra)} not listed in 'languages'")


class Texts(RootModel[dict[str, Text]]):
    """A file of texts by key (the screens' words), each in every language of the kiosk;
    ``{name}`` places in a text are filled by ``get``."""

    def get(self, key: str, language: str, **values: object) -> str:
        text = self.root[key].get(language)
        return text.format(**values) if values else text

    def missing(self, languages: list[str]) -> list[str]:
        """``key: language`` for every text not translated into one of ``languages``."""
        return [
            f"{loc[0]}: {lang}"
            for loc, missing, _ in translation_gaps(self, languages)
            for lang in missing
        ]
