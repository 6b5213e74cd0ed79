"""The fictitious demo data: a pure planner (planner.py) and a writer (writer.py). Never in production."""
