"""uflpa: screen supply chains for forced-labour risk under the UFLPA.

`import uflpa` stays light: heavy parts (DuckDB, Spark, matching tables) load on first use.
"""

__version__ = "0.1.0"
