"""The library behind the Streamlit dashboard: queries, charts, filters, the cached connection.

Pages in ``pages/`` only arrange what these modules return.
"""
