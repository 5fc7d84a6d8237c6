# Thin wrappers around course.py, which does the work on every platform.
PYTHON ?= python3

.PHONY: lab test html
lab:
	$(PYTHON) course.py lab
test:
	$(PYTHON) course.py test
html:
	$(PYTHON) course.py html
