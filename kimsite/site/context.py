"""Template context of a KIM site's other content (pure): products, agenda, aspirasi, pages, cek fakta.

Plain dicts and strings only, so the templates stay dumb and the same values serve the
pages, the feeds and the sitemap.
"""

from __future__ import annotations

import json
from collections.abc import Iterable
from datetime import date, datetime, time, timedelta
from urllib.parse import quote

from kimsite.models import VERDICT_CLASSES, Event, Extras, FactCheck, PhotoSet, Post, Product, Profile, SiteJob
from kimsite.read.phone import normalise_whatsapp, whatsapp_link
from kimsite.site import i18n
from kimsite.site.picture import picture_html

# schema.org Rating of each verdict: 1 is false, 5 is true
VERDICT_RATINGS = {"HOAKS": 1, "DISINFORMASI": 2, "BELUM TERBUKTI": 3, "FAKTA": 5}
ASPIRATION_TOPICS = {
    "id": ("Infrastruktur", "Layanan publik", "Kesehatan", "Pendidikan", "Lingkungan", "Keamanan", "Ekonomi & UMKM",
           "Lainnya"),
    "en": ("Roads and infrastructure", "Public services", "Health", "Education", "Environment", "Safety",
           "Economy and small business", "Other"),
}


def price_text(product: Product, language: str) -> str:
    low, high = i18n.rupiah(product.price_min, language), i18n.rupiah(product.price_max, language)
    text = low if low == high else f"{low} – {high}"
    return f"{text} {product.unit}".strip()


def order_message(product: Product, site_name: str, site_url: str, language: str) -> str:
    if language == "en":
        return (f"Hello {product.seller}, I would like to order {product.name} ({price_text(product, language)}) "
                f"seen on {site_name}: {site_url}{product.url_path}")
    return (f"Halo {product.seller}, saya ingin memesan {product.name} ({price_text(product, language)}) "
            f"yang saya lihat di {site_name}: {site_url}{product.url_path}")


def product_context(product: Product, photos: dict[str, PhotoSet], job: SiteJob) -> dict[str, object]:
    url, language, name = job.kim.url, job.kim.language, job.profile.name or job.kim.name
    sets = [(ref, photos[ref.output_path]) for ref in product.photos if ref.output_path in photos]
    lead = sets[0][1] if sets else None
    share = (lead.share or lead.fallback) if lead else None
    return {
        "slug": product.slug, "name": product.name, "url": url + product.url_path, "seller": product.seller,
        "category": {"slug": product.category.slug, "name": product.category.name},
        "price": price_text(product, language), "summary": product.summary,
        "order_link": whatsapp_link(product.whatsapp, order_message(product, name, url, language)),
        "lead_html": picture_html(sets[0][1], sets[0][0].alt, url, lead=True) if sets else "",
        "more_html": [picture_html(p, ref.alt, url) for ref, p in sets[1:]],
        "thumb": url + lead.thumb.path if lead and lead.thumb else None,
        "share": {"url": url + share.path, "width": share.width, "height": share.height} if share else None,
        "jsonld": product_json_ld(product, url, url + lead.fallback.path if lead else None),
    }


def product_json_ld(product: Product, site_url: str, image: str | None) -> str:
    """schema.org Product with its price (an AggregateOffer for a range), safe inside <script>."""
    offer: dict[str, object] = {"@type": "Offer", "price": product.price_min, "priceCurrency": "IDR",
                                "seller": {"@type": "Organization", "name": product.seller}}
    if product.price_max != product.price_min:
        offer = {"@type": "AggregateOffer", "lowPrice": product.price_min, "highPrice": product.price_max,
                 "priceCurrency": "IDR", "seller": offer["seller"]}
    data = {"@context": "https://schema.org", "@type": "Product", "name": product.name,
            "description": product.summary, "category": product.category.name,
            "url": site_url + product.url_path, "offers": offer, **({"image": image} if image else {})}
    return _json_ld(data)


def _json_ld(data: dict[str, object]) -> str:
    return json.dumps(data, ensure_ascii=False, separators=(",", ":")).replace("</", "<\\/")


def event_context(event: Event, language: str) -> dict[str, object]:
    day = i18n.long_date(event.start, language)
    if event.all_day:
        last = i18n.long_date(event.end.date().fromordinal(event.end.toordinal() - 1), language)
        when = day if last == day else f"{day} – {last}"
    else:
        when = i18n.time_span(event.start, event.end, language)
    return {"slug": event.slug, "title": event.title, "when": when, "start": event.start.isoformat(),
            "day": i18n.short_date(event.start, language, year=False),
            "place": event.place, "organiser": event.organiser, "summary": event.summary, "html": event.html}


def upcoming(events: Iterable[Event], today: date) -> list[Event]:
    """Events not over by the start of the build date: today's events stay listed all day."""
    return [e for e in events if e.end > datetime.combine(today, time(0), e.end.tzinfo)]


def drops_off(event: Event) -> datetime:
    """The first midnight at or after the event's end: from that build date on it is past."""
    midnight = datetime.combine(event.end.date(), time(0), event.end.tzinfo)
    return midnight if midnight >= event.end else midnight + timedelta(days=1)


def aspirasi_context(profile: Profile, name: str, language: str) -> dict[str, object]:
    number = normalise_whatsapp(profile.contacts.whatsapp or "")
    template = (f"Aspirasi untuk {name}\nKategori: \nRW: \nIsi: " if language == "id"
                else f"Message for {name}\nTopic: \nRW: \nMessage: ")
    return {
        "whatsapp": number, "whatsapp_action": f"https://wa.me/{number}" if number else None,
        "sms": f"sms:+{number}?body={quote(template, safe='')}" if number else None,
        "email": profile.contacts.email,
        "mailto": (f"mailto:{profile.contacts.email}?subject={quote(template.splitlines()[0], safe='')}"
                   f"&body={quote(template, safe='')}") if profile.contacts.email else None,
        "template": template, "topics": ASPIRATION_TOPICS[language],
    }


def extras_context(job: SiteJob, extras: Extras, photos: dict[str, PhotoSet]) -> dict[str, object]:
    language, name = job.kim.language, job.profile.name or job.kim.name
    products = [product_context(p, photos, job) for p in extras.products]
    groups: dict[str, dict[str, object]] = {}
    for item in products:
        category = item["category"]
        groups.setdefault(category["slug"], {"name": category["name"], "slug": category["slug"], "items": []})
        groups[category["slug"]]["items"].append(item)  # type: ignore[attr-defined]
    for position, item in enumerate(i for g in groups.values() for i in g["items"]):  # type: ignore[attr-defined]
        item["position"] = position  # its place on produk/: the first load at once, the rest lazily
    return {
        "products": products, "product_groups": list(groups.values()),
        "events": [event_context(e, language) for e in upcoming(extras.events, job.build_time.date())],
        "aspirations": [{"received": a.received, "summary": a.summary, "category": a.category, "rw": a.rw,
                         "status": a.status, "forwarded_to": a.forwarded_to, "answer": a.answer,
                         "answered": a.answered} for a in extras.aspirations],
        "aspirasi": aspirasi_context(job.profile, name, language),
        "pages": [{"title": p.title, "url": job.kim.url + p.url_path} for p in extras.pages],
    }


def fact_check_context(post: Post, fact_check: FactCheck, site_url: str, site_name: str) -> dict[str, object]:
    """The verdict card's values and schema.org ClaimReview JSON-LD (safe inside <script>)."""
    review = {
        "@context": "https://schema.org", "@type": "ClaimReview", "url": site_url + post.url_path,
        "datePublished": post.date.date().isoformat(), "headline": post.title,
        "author": {"@type": "Organization", "name": site_name, "url": site_url},
        "claimReviewed": fact_check.claim,
        "reviewRating": {"@type": "Rating", "ratingValue": VERDICT_RATINGS[fact_check.verdict], "bestRating": 5,
                         "worstRating": 1, "alternateName": fact_check.verdict},
        "citation": list(fact_check.sources),
    }
    return {"claim": fact_check.claim, "verdict": fact_check.verdict, "sources": list(fact_check.sources),
            "css": VERDICT_CLASSES[fact_check.verdict], "jsonld": _json_ld(review)}


def verdict_summary(fact_check: FactCheck, summary: str) -> str:
    """A fact check's summary in feeds starts with its verdict (summary feeds show no content)."""
    return f"{fact_check.verdict}: {summary}"


def verdict_html(fact_check: FactCheck) -> str:
    """The verdict card at the top of a fact check in feeds (readers show no theme)."""
    claim = fact_check.claim.replace("&", "&amp;").replace("<", "&lt;")
    return f"<p><strong>{fact_check.verdict}</strong> — {claim}</p>\n"
