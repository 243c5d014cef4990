"""The stable vocabulary of the kiosk (see the competence model): ids used by data files, stored
results and exports. Changing one is a data migration, not a refactoring."""

from typing import Literal, get_args

DomainId = Literal["devices", "information", "communication", "documents", "procedures", "safety"]
PathwayId = Literal["assisted", "first_steps", "workshops", "autonomy", "orientation"]
AccessNeed = Literal["equipment", "connectivity", "identity"]
Completion = Literal["completed", "abandoned", "timed_out"]
Mode = Literal["self", "guided"]
AgeBand = Literal["<25", "25-44", "45-64", "65-79", "80+"]

DOMAIN_IDS: tuple[str, ...] = get_args(DomainId)
PATHWAY_IDS: tuple[str, ...] = get_args(PathwayId)
ACCESS_NEEDS: tuple[str, ...] = get_args(AccessNeed)
COMPLETIONS: tuple[str, ...] = get_args(Completion)
AGE_BANDS: tuple[str, ...] = get_args(AgeBand)
LEVEL_IDS = ("discover", "with_help", "alone", "confident")
