"""Country rules: the only place where a country's law lives (DESIGN.md §4)."""
