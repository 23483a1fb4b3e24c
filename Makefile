# Shortcuts for dev.py, which needs only Python 3.11 (make is optional).
.PHONY: help demo test lint fuzz ci

help:  ## list the targets
	@grep -E '^[a-z]+:.*## ' $(MAKEFILE_LIST) | awk -F':.*## ' '{printf "  %-6s %s\n", $$1, $$2}'

demo:  ## install, migrate, load demo data, print logins and serve on :8000
	python3 dev.py demo

test:  ## run the test suite (SQLite unless DATABASE_URL is set)
	python3 dev.py test

lint:  ## ruff, formatting, missing migrations, deployment checklist
	python3 dev.py lint

fuzz:  ## fuzz the API against its OpenAPI schema as every persona
	python3 dev.py fuzz

ci:  ## what CI runs: PostgreSQL, Redis, a Celery worker, everything above
	bash .ci/run
