"""Stage 3, output: how files reach `output/` and what is kept about them.

Takes bytes from the site and hub stages; gives safely written files with their
`.gz`/`.br` twins, the publish record, the manifest, byte budgets and the build state.
"""
