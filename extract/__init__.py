"""From report text to typed facts: loaders, the spaCy pipeline and its rules."""
