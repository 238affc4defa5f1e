"""Stage 2, one KIM's site: the worker that turns one KIM's models into its folder.

Takes a `SiteJob` (read's models for one KIM); gives `output/<kim>/` (pages laid out by
Pelican, photos, feeds, calendar, sitemap, search index) and a small `SiteResult`.
"""
