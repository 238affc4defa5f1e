"""Stage 1, reading: `sites.yaml`, the province file, each KIM's profile, posts and extras.

Takes the files writers and Diskominfo keep in git; gives validated, frozen models
(`kimsite.models`) and `Problem`s naming file, line and fix. Writes nothing but caches.
"""
