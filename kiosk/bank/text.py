"""Base models shared by every part of a questionnaire file."""

from __future__ import annotations

from pydantic import BaseModel, ConfigDict, model_validator


class Strict(BaseModel):
    """Unknown keys are errors: a typo in a data file must not be silently ignored."""

    model_config = ConfigDict(extra="forbid", frozen=True)


class Text(Strict):
    """A text in every language of the bank; the bank checks that each language is present."""

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
