"""The HTML report page: one self-contained file (inline styles and SVG, no script)."""
