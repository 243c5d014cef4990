"""Record what the structured hours give for a week of clocks (run once, before the change)."""
import json
from datetime import datetime, timedelta, time
from kiosk import paths
from kiosk.bank.loader import load_model
from kiosk.hours import availability
from kiosk.offers import choose_offers
from kiosk.routing import Decision
from kiosk.site import Site

TIMES = sorted({time(h) for h in range(8, 21)} | {time(12, 29), time(12, 30), time(15, 29), time(15, 30), time(15, 59), time(16), time(18, 59), time(19)})
out = {}
for name in ("geneve", "example"):
    site = load_model(paths.questionnaires_dir() / "sites" / f"{name}.yaml", Site)
    # The conferences' only date was an invented example: it is dropped on purpose, so the
    # ranking is recorded without it.
    ranked = site.model_copy(update={"offers": [o for o in site.offers if o.id != "conferences-permanences"]})
    rows = []
    for day in range(7):
        for t in TIMES:
            clock = datetime.combine(datetime(2026, 11, 23) + timedelta(days=day), t)
            hours = {}
            for o in ranked.offers:
                if o.hours is not None:
                    a = availability(o.hours, clock)
                    hours[o.id] = " ".join([a.kind, a.opening.day.isoformat(), a.opening.start.isoformat("minutes"), a.opening.end.isoformat("minutes")])
            shown = {}
            for pathway in ("assisted", "workshops", "autonomy", "first_steps", "orientation"):
                for lang in ("fr", "en"):
                    d = Decision(pathway, ("equipment",) if pathway == "first_steps" else (), ())
                    shown[f"{pathway}/{lang}"] = " ".join(s.offer.id for s in choose_offers(ranked, d, {"safety": 1}, lang, clock))
            rows.append({"clock": clock.isoformat(timespec="minutes"), "hours": hours, "shown": shown})
    out[name] = rows
with open("tests/data/week-before-osm.json", "w") as f:
    f.write('{\n')
    for i, name in enumerate(out):
        f.write(f'"{name}": [\n' + ",\n".join(json.dumps(r, ensure_ascii=False) for r in out[name]) + "\n]" + (",\n" if i == 0 else "\n"))
    f.write('}\n')
json.load(open("tests/data/week-before-osm.json"))
