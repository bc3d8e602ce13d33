"""Bundled reference tables that several layers read (places, Chinese names of listed entities,
countries), below names, geo and match so that none of them imports another for its data."""
