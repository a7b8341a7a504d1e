"""What operators watch: Prometheus metrics (metrics.py, database.py, exposition.py) and
one-line-per-record logs (logs.py), fed per request by requests.py."""
