"""The journal itself: models, storage, queries. Knows nothing of the terminal."""
