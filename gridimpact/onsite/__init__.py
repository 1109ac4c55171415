"""On-site assets: gas-turbine catalog, dispatch and emissions; storage sizing."""
