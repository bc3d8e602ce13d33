"""Where listed entities come from: one parser per source format, history and diff, and fetch
(the only network code in uflpa)."""
