"""The web interface of `uflpa serve`: server-rendered pages (Jinja2, autoescaped) over the
operations the /v1 API uses, so that the browser and the API give the same verdicts with the
same evidence. `pages.mount(app)` adds it to the app; templates and the one stylesheet and
script of our own are package files, served offline (no CDN, no third-party code)."""
