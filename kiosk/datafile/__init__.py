"""The data-file layer: what every file the kiosk reads (questionnaire, site, screen texts) is
made of, and how it is read, so that each says what is wrong in the same words.

- ``text``: strict models, texts in several languages, and the one translation check;
- ``problems``: a problem is ``file:line: what (how to fix)``; models collect theirs;
- ``reader``: YAML with the line of every value, validated into a model; every file read
  whole, within a size and never waiting on a pipe.
"""

from kiosk.datafile.problems import DataFileError, Inconsistent, Loc, Problem, Problems
from kiosk.datafile.reader import (
    Unreadable,
    load_model,
    problem_at,
    read_bytes,
    read_text,
    read_yaml,
)
from kiosk.datafile.text import Strict, Text, Texts, check_translations, translation_gaps

__all__ = [
    "DataFileError",
    "Inconsistent",
    "Loc",
    "Problem",
    "Problems",
    "Strict",
    "Text",
    "Texts",
    "Unreadable",
    "check_translations",
    "load_model",
    "problem_at",
    "read_bytes",
    "read_text",
    "read_yaml",
    "translation_gaps",
]
