"""What the explorer shows, as pure functions the app lays out: ``views`` (corpus views, URL
state, index status), ``matrix_view`` (the level-playing-field view), ``export`` (Markdown,
CSV, Word) and ``ui_text`` (interface texts, EN/NL)."""
