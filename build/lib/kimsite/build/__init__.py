"""Stage 5, the build: the orchestrator that runs the other stages in order.

Takes a validated `SiteConfig`; decides which KIMs changed (the plan), runs their sites
in worker processes (or one shard of them), then the hub, and gives a `BuildReport`.
"""
