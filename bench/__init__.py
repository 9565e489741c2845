"""`make bench`: latency, throughput and memory of the analyzer beside stock Presidio (python -m bench)."""
