"""The static map site: vendored front-end assets, offline Folium pages and their checks."""
