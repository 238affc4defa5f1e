"""The hub's pages of what KIMs publish beyond news: products, fact checks, the agenda."""

from __future__ import annotations

from collections.abc import Sequence
from datetime import UTC, date, datetime, time

from kimsite import ics
from kimsite.hub.data import HubItem, HubPost, hub_events, hub_products
from kimsite.hub.pages import HubWriter, write_feeds, write_list
from kimsite.models import Extras
from kimsite.sitecontext import event_context, price_text, upcoming


def write_products(out: HubWriter, extras_by_kim: dict[str, Extras]) -> None:
    names = {c.slug: c.name for c in out.config.product_categories}
    language = out.config.regency.language
    groups = [{"slug": slug, "name": names.get(slug, items[0].item.category.name),
               "items": [{"kim": i.kim, "name": i.item.name, "url": i.kim.url + i.item.url_path,
                          "price": price_text(i.item, language), "seller": i.item.seller,
                          "summary": i.item.summary} for i in items]}
              for slug, items in hub_products(out.config, extras_by_kim).items()]
    out.page("produk/", "products.html", title=out.ui["products"],
             description=f"{out.ui['products']} {out.config.regency.name}", groups=groups)


def write_fact_checks(out: HubWriter, posts: Sequence[HubPost]) -> None:
    """All hoax checks of the regency: a list page and its own feeds under cek-fakta/."""
    checks = [p for p in posts if p.fact_check is not None]
    title = f"{out.ui['fact_checks']} {out.config.regency.name}"
    intro = f"{out.ui['fact_checks_intro']} {out.config.regency.name}."
    write_list(out, "cek-fakta/", title, checks, intro=intro, feeds_base="cek-fakta/", capped=False)
    write_feeds(out, "cek-fakta/", title, checks)


def write_agenda(out: HubWriter, extras_by_kim: dict[str, Extras], today: date) -> None:
    """The regency's coming events: a page and agenda.ics."""
    regency, language = out.config.regency, out.config.regency.language
    items = [i for i in hub_events(out.config, extras_by_kim) if upcoming([i.item], today)]
    events = [{"kim": i.kim, **event_context(i.item, language)} for i in items]
    out.page("agenda/", "agenda.html", title=f"{out.ui['agenda']} {regency.name}",
             description=f"{out.ui['agenda']} KIM {regency.name}: {out.ui['agenda_intro']}", events=events)
    spec = ics.CalendarSpec(f"Agenda KIM {regency.name}", f"{out.ui['agenda']} KIM {regency.name}",
                            out.url + "agenda/", regency.tz_name, datetime.combine(today, time(0), UTC))
    out.writer.write("agenda.ics", ics.render_calendar(spec, [_calendar_event(i, out.ui["organiser"]) for i in items]))


def _calendar_event(item: HubItem, organiser: str) -> ics.CalendarEvent:
    event, kim = item.item, item.kim
    return ics.CalendarEvent(ics.event_uid(kim.url, event.slug), f"{event.title} ({kim.name})", event.start,
                             event.end, event.all_day, event.place,
                             f"{event.summary}\n\n{organiser}: {event.organiser}".strip(),
                             f"{kim.url}agenda/#{event.slug}")
