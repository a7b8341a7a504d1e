"""The web explorer at `/explore`: a page in the browser over the JSON API.

The server sends one HTML shell for every `/explore/…` path (each page has a real,
shareable URL; the browser renders it from the API with the reader's key) and the shell's
scripts, style sheet and chart library, all from this server: nothing is fetched from
another origin, so it works offline and behind a firewall."""
