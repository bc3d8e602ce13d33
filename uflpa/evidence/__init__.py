"""The evidence pack (`uflpa evidence build|verify`): what an importer hands CBP when a shipment is
detained under the UFLPA: the shipment's verdict, every party of its supply chain by tier with
its screening evidence, the flow chart, the importer's documents indexed and hashed, the gaps
named first, as one self-contained HTML file, its PDF, and a manifest that `verify` checks."""
