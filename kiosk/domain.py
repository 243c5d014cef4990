"""The stable vocabulary of the kiosk (see the competence model): ids used by data files, stored
results and exports, and the form any other id must take. Changing one is a data migration, not
a refactoring."""

from typing import Annotated, Literal, get_args

from pydantic import Field, StrictInt

DomainId = Literal["devices", "information", "communication", "documents", "procedures", "safety"]
PathwayId = Literal["assisted", "first_steps", "workshops", "autonomy", "orientation"]
AccessNeed = Literal["equipment", "connectivity", "identity"]
Completion = Literal["completed", "abandoned", "timed_out"]
Mode = Literal["self", "guided"]
AgeBand = Literal["<25", "25-44", "45-64", "65-79", "80+"]
# The four levels of every domain, lowest first; a level is stored as its place in this order.
LevelId = Literal["discover", "with_help", "alone", "confident"]
# Staff who open the kiosk's staff screens, each with a PIN of its own.
Role = Literal["mediator", "coordinator"]
# What a mediator records after a guided session, in the words of the national mediators'
# activity report (La Coop de la médiation numérique: ``autonomie``, ``structureDeRedirection``,
# its duration ranges), so that a network's figures compare with what its mediators report.
Autonomy = Literal["entierement_accompagne", "partiellement_autonome", "autonome"]
Redirection = Literal[
    "administration", "mediation_numerique", "operateur_ou_organisme_en_charge",
    "aide_aux_demarches_administratives", "aide_sociale", "insertion_professionnelle", "autre",
]
SessionLength = Literal["<30", "30-60", "60-120", "120+"]  # minutes, the report's ranges

DOMAIN_IDS: tuple[str, ...] = get_args(DomainId)
PATHWAY_IDS: tuple[str, ...] = get_args(PathwayId)
ACCESS_NEEDS: tuple[str, ...] = get_args(AccessNeed)
COMPLETIONS: tuple[str, ...] = get_args(Completion)
AGE_BANDS: tuple[str, ...] = get_args(AgeBand)
LEVEL_IDS: tuple[str, ...] = get_args(LevelId)
ROLES: tuple[str, ...] = get_args(Role)
AUTONOMY_IDS: tuple[str, ...] = get_args(Autonomy)
REDIRECTION_IDS: tuple[str, ...] = get_args(Redirection)
SESSION_LENGTHS: tuple[str, ...] = get_args(SessionLength)
TOP_LEVEL = len(LEVEL_IDS) - 1

# A level as a number: 0 (discover) to TOP_LEVEL (confident).
Level = Annotated[StrictInt, Field(ge=0, le=TOP_LEVEL)]
# Questions, items and questionnaires.
Identifier = Annotated[str, Field(pattern=r"^[a-z][a-z0-9_\-]*$", max_length=48)]
# Answers; they may also be ranges such as the age bands "<25" and "80+".
OptionId = Annotated[str, Field(pattern=r"^[a-z0-9<][a-z0-9_+\-]*$", max_length=48)]
# Sites and offers, whose ids may start with a digit (a postcode, a street number).
PlaceId = Annotated[str, Field(pattern=r"^[a-z0-9][a-z0-9_\-]*$", max_length=48)]
# Two-letter ISO 639-1 codes.
Language = Annotated[str, Field(pattern=r"^[a-z]{2}$")]
Version = Annotated[str, Field(pattern=r"^\d+\.\d+(\.\d+)?$")]

# The answer every question may offer for "je ne sais pas / je préfère ne pas répondre".
DONT_KNOW = "dont_know"
