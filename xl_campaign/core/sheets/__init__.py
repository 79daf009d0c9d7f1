"""Writer-independent descriptions of the generated sheets (Gantt, Summary, Issues); see ``model.py``."""
