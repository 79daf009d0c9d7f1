"""Output formats of a check report (text, json, jsonl, junit, github) and the generated rule docs."""
