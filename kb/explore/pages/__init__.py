"""The explorer's page layouts (Streamlit); ``app.py`` picks one per run. What to show is decided
in ``kb.explore.views`` and its siblings (pure, tested); these modules arrange widgets."""
