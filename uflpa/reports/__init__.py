"""What a run tells a person: the end-of-run summary (`summary`), the HTML report of the flagged
rows (`html`), and the cell and JSON-line renderings every sink and command share (`tabular`).
Reports read typed results (`uflpa.screening.rows`), never the JSON they are written as.
"""
