# Two commands: `make run` (set up and serve the demo site) and `make test` (the whole suite).
VENV := .venv
PY := $(VENV)/bin/python
DEBIAN_PACKAGES := chromium fonts-dejavu-core espeak-ng ffmpeg sox
HOST := 127.0.0.1:8000

.PHONY: run test install system-deps lint format benchmark clean

$(VENV)/.installed: requirements.txt requirements-test.txt
	test -x $(PY) || python3 -m venv $(VENV)
	$(PY) -m pip install --quiet --upgrade pip
	$(PY) -m pip install --quiet -r requirements-test.txt
	touch $@

node_modules/.installed: package.json
	npm install --no-audit --no-fund --loglevel=error
	touch $@

install: $(VENV)/.installed node_modules/.installed

# Debian packages the browser and transcription tests need; installed only when missing.
system-deps:
	@missing=""; for p in $(DEBIAN_PACKAGES); do dpkg -s $$p >/dev/null 2>&1 || missing="$$missing $$p"; done; \
	if [ -n "$$missing" ]; then \
		echo "Installing Debian packages:$$missing"; \
		SUDO=$$( [ "$$(id -u)" = 0 ] || echo sudo ); \
		$$SUDO apt-get update -qq && DEBIAN_FRONTEND=noninteractive $$SUDO apt-get install -y -qq $$missing; \
	fi

run: install
	$(PY) manage.py migrate --no-input
	$(PY) manage.py load_demo_data
	$(PY) manage.py send_action_reminders --schedule
	@echo "Serving on http://$(HOST)/ (admin at /admin/; see README for the demo sign-ins)"
	bash -c 'trap "kill 0" EXIT; $(PY) manage.py db_worker & $(PY) manage.py runserver --noreload $(HOST)'

test: install system-deps
	$(VENV)/bin/ruff check .
	$(VENV)/bin/ruff format --check .
	$(PY) manage.py makemigrations --check --dry-run --settings=governance.settings.test
	$(VENV)/bin/pytest

lint: install
	$(VENV)/bin/ruff check .
	$(VENV)/bin/ruff format --check .

format: install
	$(VENV)/bin/ruff check --fix .
	$(VENV)/bin/ruff format .

benchmark: install
	$(PY) benchmarks/pages.py
	$(PY) benchmarks/search.py
	$(PY) benchmarks/actions.py
	$(PY) benchmarks/duties.py

clean:
	rm -rf $(VENV) node_modules staticfiles .test-media
