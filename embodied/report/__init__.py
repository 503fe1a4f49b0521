"""The report of an experiment: statistics over seeds, figures, videos and literature values, as HTML."""
