"""The hub's pages of what KIMs publish beyond news: products, fact checks, the agenda."""

from __future__ import annotations

from collections.abc import Sequence
from datetime import UTC, date, datetime, time

from kimsite.hub.data import HubItem, HubPost, hub_events, hub_products
from kimsite.hub.pages import HubWriter, write_feeds, write_list
from kimsite.models import Extras
from kimsite.site.context import event_context, price_text, upcoming
from kimsite.site.picture import thumb_path

PREVIEW = 5  # products of each category on produk/; the rest on its own paginated page


def _product(item: HubItem, language: str, position: int) -> dict[str, object]:
    """`position`: its place on the page (the first thumbnails load at once, the rest lazily)."""
    product = item.item
    thumb = item.kim.url + thumb_path(product.photos[0].output_path) if product.photos else None
    return {"kim": item.kim, "name": product.name, "url": item.kim.url + product.url_path,
            "price": price_text(product, language), "seller": product.seller, "summary": product.summary,
            "thumb": thumb, "position": position}


def write_products(out: HubWriter, extras_by_kim: dict[str, Extras]) -> list[str]:
    """produk/ (a few of each category) and produk/<category>/ (all, paginated); returns the folders."""
    names = {c.slug: c.name for c in out.config.product_categories}
    language, per_page = out.config.regency.language, out.config.hub.posts_per_page
    groups = []
    for slug, items in hub_products(out.config, extras_by_kim).items():
        name, folder = names.get(slug, items[0].item.category.name), f"produk/{slug}/"
        products = [_product(i, language, n % per_page) for n, i in enumerate(items)]
        preview = [{**p, "position": len(groups) * PREVIEW + n} for n, p in enumerate(products[:PREVIEW])]
        groups.append({"slug": slug, "name": name, "url": out.url + folder, "count": len(products),
                       "items": preview})
        chunks = [products[n:n + per_page] for n in range(0, len(products), per_page)]
        for number, chunk in enumerate(chunks, start=1):
            path = folder if number == 1 else f"{folder}halaman/{number}/"
            pager = {"number": number, "total": len(chunks), "next": None if number == len(chunks) else
                     f"{out.url}{folder}halaman/{number + 1}/", "previous": None if number == 1 else
                     out.url + (folder if number == 2 else f"{folder}halaman/{number - 1}/")}
            out.page(path, "products.html", title=f"{out.ui['products']}: {name}", pager=pager,
                     description=f"{out.ui['products']} {name}, {out.config.regency.name}",
                     groups=[{"slug": slug, "name": name, "url": None, "count": len(products), "items": chunk}])
    out.page("produk/", "products.html", title=out.ui["products"], pager=None,
             description=f"{out.ui['products']} {out.config.regency.name}", groups=groups)
    return ["produk/"] + [f"produk/{g['slug']}/" for g in groups]


def write_fact_checks(out: HubWriter, posts: Sequence[HubPost]) -> None:
    """All hoax checks of the regency: a list page and its own feeds under cek-fakta/."""
    checks = [p for p in posts if p.fact_check is not None]
    title = f"{out.ui['fact_checks']} {out.config.regency.name}"
    intro = f"{out.ui['fact_checks_intro']} {out.config.regency.name}."
    write_list(out, "cek-fakta/", title, checks, intro=intro, feeds_base="cek-fakta/", capped=False)
    write_feeds(out, "cek-fakta/", title, checks)


def write_agenda(out: HubWriter, extras_by_kim: dict[str, Extras], today: date) -> None:
    """The regency's coming events: a page and agenda.ics."""
    from kimsite.site import ics  # icalendar: imported only when the hub is written

    regency, language = out.config.regency, out.config.regency.language
    items = [i for i in hub_events(out.config, extras_by_kim) if upcoming([i.item], today)]
    events = [{"kim": i.kim, **event_context(i.item, language)} for i in items]
    out.page("agenda/", "agenda.html", title=f"{out.ui['agenda']} {regency.name}",
             description=f"{out.ui['agenda']} KIM {regency.name}: {out.ui['agenda_intro']}", events=events)
    spec = ics.CalendarSpec(f"Agenda KIM {regency.name}", f"{out.ui['agenda']} KIM {regency.name}",
                            out.url + "agenda/", regency.tz_name, datetime.combine(today, time(0), UTC))
    calendar = [ics.CalendarEvent(ics.event_uid(i.kim.url, e.slug), f"{e.title} ({i.kim.name})", e.start, e.end,
                                  e.all_day, e.place, f"{e.summary}\n\n{out.ui['organiser']}: {e.organiser}".strip(),
                                  f"{i.kim.url}agenda/#{e.slug}") for i in items for e in [i.item]]
    out.writer.write("agenda.ics", ics.render_calendar(spec, calendar))
